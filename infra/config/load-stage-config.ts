import { type StageConfig, StageConfigError, validateStageConfig } from './stage-config';
import { STAGES, type StageName } from './stages';

/** The context keys the app reads (`cdk synth -c key=value`). */
export const CONTEXT_KEYS = {
  stage: 'stage',
  portCode: 'portCode',
  alarmEmail: 'alarmEmail',
  account: 'account',
  region: 'region',
  tableDeletionProtection: 'tableDeletionProtection',
  riskSeed: 'riskSeed',
  evaluatedPorts: 'evaluatedPorts',
} as const;

/** What the loader needs from a construct node: `app.node` satisfies it. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

const isStageName = (s: string): s is StageName => Object.hasOwn(STAGES, s);

function optionalString(source: ContextSource, key: string): string | undefined {
  const v = source.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new StageConfigError(`context "${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function optionalBoolean(source: ContextSource, key: string): boolean | undefined {
  const v = source.tryGetContext(key);
  if (v === undefined) return undefined;
  // `-c key=false` arrives as the string "false"; cdk.json and tests pass real booleans.
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new StageConfigError(`context "${key}" must be true or false, got ${JSON.stringify(v)}`);
}

/**
 * Builds the validated config of the stage selected with `-c stage=…` (default `dev`).
 * Account and region: context `account`/`region`, else the CLI's `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`,
 * else none (an environment-agnostic template, as in tests).
 */
export function loadStageConfig(source: ContextSource, env: NodeJS.ProcessEnv = process.env): StageConfig {
  const stage = optionalString(source, CONTEXT_KEYS.stage) ?? 'dev';
  if (!isStageName(stage))
    throw new StageConfigError(`unknown stage "${stage}": use -c stage=${Object.keys(STAGES).join('|')}`);
  const defaults = STAGES[stage];

  const portCode = optionalString(source, CONTEXT_KEYS.portCode) ?? defaults.portCode;
  if (portCode === undefined)
    throw new StageConfigError(`stage "${stage}" has no default port: pass -c portCode=<UN/LOCODE>, e.g. CNSGH`);

  const riskSeed = optionalString(source, CONTEXT_KEYS.riskSeed) ?? defaults.riskSeed;
  if (riskSeed === undefined)
    throw new StageConfigError(
      `stage "${stage}" has no default risk seed: pass -c riskSeed=<16–256 characters from your secret store>`,
    );

  const account = optionalString(source, CONTEXT_KEYS.account) ?? (env.CDK_DEFAULT_ACCOUNT || undefined);
  const region = optionalString(source, CONTEXT_KEYS.region) ?? (env.CDK_DEFAULT_REGION || undefined);
  const alarmEmail = optionalString(source, CONTEXT_KEYS.alarmEmail);
  const evaluatedPorts = optionalString(source, CONTEXT_KEYS.evaluatedPorts)
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const tableDeletionProtection =
    optionalBoolean(source, CONTEXT_KEYS.tableDeletionProtection) ?? defaults.tableDeletionProtection;

  return validateStageConfig({
    ...defaults,
    portCode,
    riskSeed,
    tableDeletionProtection,
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(evaluatedPorts && evaluatedPorts.length > 0 ? { evaluatedPorts } : {}),
  });
}
