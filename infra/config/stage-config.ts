import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PortCode } from '../../events/v1';

/** How the Kinesis stream scales: on-demand, or a fixed number of provisioned shards. */
export type ShardMode = 'on-demand' | { readonly provisioned: number };

/**
 * The agencies' Cognito user pool. MFA and threat protection are per stage: prod requires MFA and blocks risky
 * sign-ins; dev lets test users and smoke tests sign in with a password alone and only records the risk.
 */
export interface AgencyIdentityConfig {
  /** `required`: every user enrols a TOTP app at first sign-in. Production must require it. */
  readonly mfa: 'optional' | 'required';
  /**
   * Cognito threat protection (Plus feature plan in every stage): `enforced` blocks or challenges risky sign-ins and
   * compromised passwords; `audit` only records the risk, so automated test sign-ins are never blocked.
   */
  readonly threatProtection: 'enforced' | 'audit';
  /** Cognito deletion protection on the user pool. Production must keep it on. */
  readonly deletionProtection: boolean;
  /**
   * Enables the `ADMIN_USER_PASSWORD_AUTH` flow on the app client, so that an operator with IAM credentials can get
   * a token from the CLI (`aws cognito-idp admin-initiate-auth`) for smoke tests. Agency apps use SRP either way.
   */
  readonly adminPasswordAuth: boolean;
}

/** Stage-wide throttle of the agency API (API Gateway default route settings). */
export interface ApiThrottleConfig {
  /** Steady-state requests per second across all callers. */
  readonly rateLimit: number;
  /** Requests API Gateway accepts at once above the rate (token bucket size). */
  readonly burstLimit: number;
}

/**
 * Timeouts of the joint-control workflow's agency tasks (callback tasks of the state machine). A task that times out
 * is escalated and dispatched once more with the same timeouts, then marked overdue: the worst case for one task is
 * twice `taskTimeoutSeconds`.
 */
export interface JointControlConfig {
  /** How long an agency has to complete a dispatched task (the callback's `TimeoutSeconds`). */
  readonly taskTimeoutSeconds: number;
  /**
   * The longest an agency may stay silent on a task (no acknowledgement or heartbeat) before it is escalated (the
   * callback's `HeartbeatSeconds`); below `taskTimeoutSeconds`, as Step Functions requires.
   */
  readonly heartbeatSeconds: number;
  /** A declaration assessed red with at least this score (0–100) raises an incident (`KOUAN_INCIDENT_MIN_SCORE`). */
  readonly incidentMinScore: number;
  /** Minutes in which the same subject and cause raise no second incident (`KOUAN_INCIDENT_DEDUPE_MINUTES`). */
  readonly dedupeMinutes: number;
}

/**
 * Everything that differs between deployments of Kouan. One object per stage (see `stages.ts`); it flows one way:
 * config → stack props → construct props → Lambda environment.
 */
export interface StageConfig {
  /** Stage name, used in stack names, resource names and tags: lower-case letters and digits only. */
  readonly stage: string;
  /** A production stage refuses settings that could lose data (see `validateStageConfig`). */
  readonly production: boolean;
  /** Target account; `undefined` synthesizes an environment-agnostic stack. */
  readonly account?: string;
  /** Target region; `undefined` synthesizes an environment-agnostic stack. */
  readonly region?: string;
  /** UN/LOCODE of the port this deployment serves (CONTRACT.md §2), e.g. `CNSGH`. Tagged on every resource. */
  readonly portCode: string;
  /**
   * The ports the evaluation covers and ranks (`/v1/performance/ranking`); unset: `portCode` alone. An
   * administration evaluating several ports from one deployment lists them (`-c evaluatedPorts=CNSGH,CNNGB`).
   */
  readonly evaluatedPorts?: readonly string[];
  /** How long the stream keeps records (24–8760 h). Replays and the ESM's retries can reach back this far. */
  readonly streamRetentionHours: number;
  readonly shardMode: ShardMode;
  /** How long a device messageId is remembered. Must exceed `streamRetentionHours` (DESIGN.md "Data rules"). */
  readonly dedupeWindowHours: number;
  /** How long vessel track points are kept. */
  readonly trackRetentionHours: number;
  /** Age after which the event source mapping gives up on a record and sends it to the on-failure queue. */
  readonly maxRecordAgeHours: number;
  /** Retries of a failing batch before it goes to the on-failure queue (0–10). */
  readonly retryAttempts: number;
  readonly logRetentionDays: RetentionDays;
  /** Applied to stateful resources (key, table, stream, queues) and log groups. Production must retain. */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection. Production must keep it on; a dev stage may turn it off to tear down. */
  readonly tableDeletionProtection: boolean;
  /** Where alarm notifications go; without it the alarm topic exists but has no subscriber. */
  readonly alarmEmail?: string;
  /** The agencies' user pool (stateful stack) whose groups are the roles of CONTRACT.md §3. */
  readonly agencyIdentity: AgencyIdentityConfig;
  /** Throttle of the agency API's stage. */
  readonly apiThrottle: ApiThrottleConfig;
  /**
   * The risk engine's random-selection seed (16–256 characters): whoever knows it can tell which declarations will be
   * drawn. Production passes it with `-c riskSeed=…` from its own secret store; it reaches the API function as an
   * environment variable (a Secrets Manager or SSM SecureString reference is the follow-up). Rotate it per period and
   * keep old seeds: an audit recomputes a draw with the seed the assessment names (`randomSeedId`).
   */
  readonly riskSeed: string;
  /** Agency task timeouts of the joint-control workflow. */
  readonly jointControl: JointControlConfig;
}

/** A stage config that breaks a rule. The message lists every broken rule, so one synth shows them all. */
export class StageConfigError extends Error {
  readonly code = 'STAGE_CONFIG_INVALID';
  override readonly name = 'StageConfigError';
}

/** Kinesis Data Streams' retention limits. */
const MIN_STREAM_RETENTION_HOURS = 24;
const MAX_STREAM_RETENTION_HOURS = 8760;
/** Lambda's limit on MaximumRecordAgeInSeconds for stream sources (60 s – 7 days). */
const MAX_RECORD_AGE_LIMIT_HOURS = 168;
const STAGE_NAME = /^[a-z][a-z0-9]{1,15}$/;
// Deliberately loose: SNS confirms the address; this only catches a value that is plainly not one.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const isWholeNumber = (n: number): boolean => Number.isInteger(n) && n > 0;

/**
 * Checks a stage config and returns it unchanged, or throws one `StageConfigError` naming every problem.
 * Synth fails here, before any construct exists, instead of deploying a pipeline that can double-apply events.
 */
export function validateStageConfig(config: StageConfig): StageConfig {
  const problems: string[] = [];
  const c = config;

  if (!STAGE_NAME.test(c.stage))
    problems.push(`stage "${c.stage}" must be 2–16 lower-case letters and digits, starting with a letter`);
  for (const p of c.evaluatedPorts ?? [])
    if (!PortCode.safeParse(p).success) problems.push(`evaluatedPorts: "${p}" is not a UN/LOCODE`);
  if (!PortCode.safeParse(c.portCode).success)
    problems.push(`portCode "${c.portCode}" is not a UN/LOCODE (five characters: country code + location, e.g. CNSGH)`);
  if (c.account !== undefined && !ACCOUNT.test(c.account))
    problems.push(`account "${c.account}" must be a 12-digit AWS account id`);
  if (c.region !== undefined && !REGION.test(c.region))
    problems.push(`region "${c.region}" is not an AWS region name such as us-east-1`);

  if (
    !isWholeNumber(c.streamRetentionHours) ||
    c.streamRetentionHours < MIN_STREAM_RETENTION_HOURS ||
    c.streamRetentionHours > MAX_STREAM_RETENTION_HOURS
  )
    problems.push(
      `streamRetentionHours ${c.streamRetentionHours} must be a whole number from ${MIN_STREAM_RETENTION_HOURS} to ${MAX_STREAM_RETENTION_HOURS}`,
    );
  if (c.shardMode !== 'on-demand' && !isWholeNumber(c.shardMode.provisioned))
    problems.push(`shardMode.provisioned ${c.shardMode.provisioned} must be a whole number of shards ≥ 1`);

  if (!isWholeNumber(c.dedupeWindowHours)) {
    problems.push(`dedupeWindowHours ${c.dedupeWindowHours} must be a whole number ≥ 1`);
  } else if (c.dedupeWindowHours <= c.streamRetentionHours) {
    problems.push(
      `dedupeWindowHours (${c.dedupeWindowHours}) must exceed streamRetentionHours (${c.streamRetentionHours}): ` +
        'a record replayed from the stream must still find its messageId remembered, or it is applied twice',
    );
  }
  if (!isWholeNumber(c.trackRetentionHours))
    problems.push(`trackRetentionHours ${c.trackRetentionHours} must be a whole number ≥ 1`);

  if (!isWholeNumber(c.maxRecordAgeHours) || c.maxRecordAgeHours > MAX_RECORD_AGE_LIMIT_HOURS) {
    problems.push(
      `maxRecordAgeHours ${c.maxRecordAgeHours} must be a whole number from 1 to ${MAX_RECORD_AGE_LIMIT_HOURS}`,
    );
  } else if (c.maxRecordAgeHours >= c.streamRetentionHours) {
    problems.push(
      `maxRecordAgeHours (${c.maxRecordAgeHours}) must be below streamRetentionHours (${c.streamRetentionHours}): ` +
        'the on-failure queue holds only pointers into the stream, which must still hold the record to replay it',
    );
  }
  if (!Number.isInteger(c.retryAttempts) || c.retryAttempts < 0 || c.retryAttempts > 10)
    problems.push(`retryAttempts ${c.retryAttempts} must be a whole number from 0 to 10`);

  if (!(Object.values(RetentionDays) as number[]).includes(c.logRetentionDays))
    problems.push(`logRetentionDays ${c.logRetentionDays} is not a CloudWatch Logs retention period`);
  if (!isWholeNumber(c.apiThrottle.rateLimit) || !isWholeNumber(c.apiThrottle.burstLimit))
    problems.push(
      `apiThrottle rateLimit ${c.apiThrottle.rateLimit} and burstLimit ${c.apiThrottle.burstLimit} must be whole numbers ≥ 1`,
    );
  if (c.riskSeed.length < 16 || c.riskSeed.length > 256)
    problems.push('riskSeed must be 16 to 256 characters (the random-selection seed of the risk engine)');
  const { taskTimeoutSeconds, heartbeatSeconds } = c.jointControl;
  if (!isWholeNumber(taskTimeoutSeconds) || !isWholeNumber(heartbeatSeconds) || heartbeatSeconds >= taskTimeoutSeconds)
    problems.push(
      `jointControl heartbeatSeconds (${heartbeatSeconds}) and taskTimeoutSeconds (${taskTimeoutSeconds}) must be ` +
        'whole numbers ≥ 1 with the heartbeat below the timeout (Step Functions refuses a heartbeat ≥ the timeout)',
    );
  const { incidentMinScore, dedupeMinutes } = c.jointControl;
  if (!isWholeNumber(incidentMinScore) || incidentMinScore > 100 || !isWholeNumber(dedupeMinutes))
    problems.push(
      `jointControl incidentMinScore (${incidentMinScore}) must be a whole number 1–100 and dedupeMinutes ` +
        `(${dedupeMinutes}) a whole number ≥ 1`,
    );
  if (c.alarmEmail !== undefined && !EMAIL.test(c.alarmEmail))
    problems.push(`alarmEmail "${c.alarmEmail}" is not an e-mail address`);

  if (c.production) {
    if (c.removalPolicy !== RemovalPolicy.RETAIN)
      problems.push(`production stage "${c.stage}" must retain its data (removalPolicy RETAIN)`);
    if (!c.tableDeletionProtection)
      problems.push(`production stage "${c.stage}" must keep table deletion protection on`);
    if (c.agencyIdentity.mfa !== 'required')
      problems.push(`production stage "${c.stage}" must require MFA for agency users (agencyIdentity.mfa)`);
    if (!c.agencyIdentity.deletionProtection)
      problems.push(`production stage "${c.stage}" must keep user pool deletion protection on`);
  }

  if (problems.length > 0)
    throw new StageConfigError(`invalid config for stage "${c.stage}":\n  - ${problems.join('\n  - ')}`);
  return config;
}
