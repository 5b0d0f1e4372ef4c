import { RemovalPolicy } from 'aws-cdk-lib';
import { loadStageConfig } from '../../infra/config/load-stage-config';
import { type StageConfig, StageConfigError, validateStageConfig } from '../../infra/config/stage-config';
import { type Context, contextSource } from './fixture';

const load = (context: Context, env: NodeJS.ProcessEnv = {}) => loadStageConfig(contextSource(context), env);
const dev = (): StageConfig => load({});
const invalid = (overrides: Partial<StageConfig>) => () => validateStageConfig({ ...dev(), ...overrides });

describe('stage selection', () => {
  it('defaults to the dev stage with the contract sample port', () => {
    const config = dev();
    expect(config.stage).toBe('dev');
    expect(config.portCode).toBe('CNSGH');
    expect(config.production).toBe(false);
  });

  it('selects prod with -c stage=prod and requires an explicit port code', () => {
    expect(() => load({ stage: 'prod' })).toThrow(/stage "prod" has no default port: pass -c portCode=/);
    const prod = load({ stage: 'prod', portCode: 'NLRTM', riskSeed: 'prod-test-selectivity-seed' });
    expect(prod).toMatchObject({ stage: 'prod', portCode: 'NLRTM', production: true, shardMode: 'on-demand' });
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  it('requires prod’s risk seed from context, and refuses one shorter than 16 characters', () => {
    expect(() => load({ stage: 'prod', portCode: 'NLRTM' })).toThrow(/no default risk seed: pass -c riskSeed=/);
    expect(() => load({ stage: 'prod', portCode: 'NLRTM', riskSeed: 'short' })).toThrow(/riskSeed must be 16 to 256/);
    expect(load({ riskSeed: 'a-seed-from-the-vault' }).riskSeed).toBe('a-seed-from-the-vault');
  });

  it('takes the evaluated ports from -c evaluatedPorts=, refusing one that is not a UN/LOCODE', () => {
    expect(dev().evaluatedPorts).toBeUndefined();
    expect(load({ evaluatedPorts: 'CNSGH, CNNGB' }).evaluatedPorts).toEqual(['CNSGH', 'CNNGB']);
    expect(() => load({ evaluatedPorts: 'CNSGH,ningbo' })).toThrow(/evaluatedPorts: "ningbo" is not a UN\/LOCODE/);
  });

  it('rejects an unknown stage, naming the known ones', () => {
    expect(() => load({ stage: 'staging' })).toThrow(/unknown stage "staging": use -c stage=dev\|prod/);
  });

  it('takes account and region from context first, then from the CDK CLI environment', () => {
    const env = { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-west-1' };
    expect(load({}, env)).toMatchObject({ account: '111111111111', region: 'eu-west-1' });
    expect(load({ account: '222222222222', region: 'ap-east-1' }, env)).toMatchObject({
      account: '222222222222',
      region: 'ap-east-1',
    });
    const agnostic = load({});
    expect(agnostic.account).toBeUndefined();
    expect(agnostic.region).toBeUndefined();
  });

  it('reads booleans given as strings on the command line and rejects anything else', () => {
    expect(load({ tableDeletionProtection: 'false' }).tableDeletionProtection).toBe(false);
    expect(load({ tableDeletionProtection: true }).tableDeletionProtection).toBe(true);
    expect(() => load({ tableDeletionProtection: 'maybe' })).toThrow(/tableDeletionProtection" must be true or false/);
  });

  it('keeps table deletion protection on by default, also in dev', () => {
    expect(dev().tableDeletionProtection).toBe(true);
  });

  it('takes an optional alarm e-mail and rejects one that is not an address', () => {
    expect(load({ alarmEmail: 'ops@port.example' }).alarmEmail).toBe('ops@port.example');
    expect(dev().alarmEmail).toBeUndefined();
    expect(() => load({ alarmEmail: 'ops' })).toThrow(/alarmEmail "ops" is not an e-mail address/);
  });
});

describe('validation fails fast with a clear message', () => {
  it('rejects a dedupe window equal to the stream retention', () => {
    const attempt = invalid({ streamRetentionHours: 24, dedupeWindowHours: 24 });
    expect(attempt).toThrow(StageConfigError);
    expect(attempt).toThrow(/dedupeWindowHours \(24\) must exceed streamRetentionHours \(24\)/);
  });

  it('rejects a dedupe window shorter than the stream retention', () => {
    expect(invalid({ streamRetentionHours: 168, dedupeWindowHours: 48 })).toThrow(
      /dedupeWindowHours \(48\) must exceed streamRetentionHours \(168\): a record replayed/,
    );
  });

  it('accepts a dedupe window one hour longer than the retention', () => {
    expect(() => validateStageConfig({ ...dev(), streamRetentionHours: 24, dedupeWindowHours: 25 })).not.toThrow();
  });

  it.each(['shanghai', 'CN1GH', 'CNSG', 'CNSGHX', 'cnsgh', ''])('rejects port code %j', (portCode) => {
    expect(invalid({ portCode })).toThrow(/portCode ".*" is not a UN\/LOCODE/);
  });

  it('rejects a bad port code given on the command line', () => {
    expect(() => load({ portCode: 'XX-01' })).toThrow(/portCode "XX-01" is not a UN\/LOCODE/);
  });

  it('rejects a record age the stream would no longer hold', () => {
    expect(invalid({ streamRetentionHours: 24, dedupeWindowHours: 48, maxRecordAgeHours: 24 })).toThrow(
      /maxRecordAgeHours \(24\) must be below streamRetentionHours \(24\)/,
    );
  });

  it.each([
    [{ streamRetentionHours: 12 }, /streamRetentionHours 12 must be a whole number from 24 to 8760/],
    [{ shardMode: { provisioned: 0 } }, /shardMode.provisioned 0 must be a whole number of shards/],
    [{ retryAttempts: 11 }, /retryAttempts 11 must be a whole number from 0 to 10/],
    [{ maxRecordAgeHours: 200 }, /maxRecordAgeHours 200 must be a whole number from 1 to 168/],
    [{ trackRetentionHours: 0 }, /trackRetentionHours 0 must be a whole number/],
    [{ logRetentionDays: 8 }, /logRetentionDays 8 is not a CloudWatch Logs retention period/],
    [{ stage: 'Dev-1' }, /stage "Dev-1" must be 2–16 lower-case letters and digits/],
    [{ account: '12345' }, /account "12345" must be a 12-digit AWS account id/],
  ] as const)('rejects %j', (overrides, message) => {
    expect(invalid(overrides as Partial<StageConfig>)).toThrow(message);
  });

  it('refuses a production stage that could lose data', () => {
    const prod = load({ stage: 'prod', portCode: 'CNSGH', riskSeed: 'prod-test-selectivity-seed' });
    expect(() => validateStageConfig({ ...prod, removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      /production stage "prod" must retain its data/,
    );
    expect(() => validateStageConfig({ ...prod, tableDeletionProtection: false })).toThrow(
      /production stage "prod" must keep table deletion protection on/,
    );
    expect(() =>
      load({
        stage: 'prod',
        portCode: 'CNSGH',
        riskSeed: 'prod-test-selectivity-seed',
        tableDeletionProtection: 'false',
      }),
    ).toThrow(/must keep table deletion protection on/);
  });

  it('refuses a production stage whose agency users could sign in without MFA or whose pool could be deleted', () => {
    const prod = load({ stage: 'prod', portCode: 'CNSGH', riskSeed: 'prod-test-selectivity-seed' });
    expect(() => validateStageConfig({ ...prod, agencyIdentity: { ...prod.agencyIdentity, mfa: 'optional' } })).toThrow(
      /production stage "prod" must require MFA for agency users/,
    );
    expect(() =>
      validateStageConfig({ ...prod, agencyIdentity: { ...prod.agencyIdentity, deletionProtection: false } }),
    ).toThrow(/production stage "prod" must keep user pool deletion protection on/);
    expect(() =>
      validateStageConfig({ ...dev(), agencyIdentity: { ...dev().agencyIdentity, mfa: 'optional' } }),
    ).not.toThrow();
  });

  it.each([
    { rateLimit: 0, burstLimit: 10 },
    { rateLimit: 10, burstLimit: 2.5 },
  ])('rejects the API throttle %j', (apiThrottle) => {
    expect(invalid({ apiThrottle })).toThrow(/apiThrottle rateLimit .* must be whole numbers ≥ 1/);
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      validateStageConfig({ ...dev(), portCode: 'nope', dedupeWindowHours: 1, retryAttempts: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StageConfigError);
    const message = (error as StageConfigError).message;
    expect(message).toMatch(/^invalid config for stage "dev":/);
    expect(message).toMatch(/portCode "nope"/);
    expect(message).toMatch(/dedupeWindowHours \(1\) must exceed/);
    expect(message).toMatch(/retryAttempts -1/);
    expect((error as StageConfigError).code).toBe('STAGE_CONFIG_INVALID');
  });
});
