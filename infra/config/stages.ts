import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from './stage-config';

/**
 * Per-stage settings before context overrides (`load-stage-config.ts`). Account and region come from context or the
 * CLI's environment, never from this file, so the same code deploys to any account.
 */
export type StageDefaults = Omit<StageConfig, 'account' | 'region' | 'portCode' | 'alarmEmail' | 'riskSeed'> & {
  /** `undefined`: the port must be given with `-c portCode=…`, so a production deploy never guesses it. */
  readonly portCode?: string;
  /** `undefined`: the seed must be given with `-c riskSeed=…`; a seed in this file is a public one. */
  readonly riskSeed?: string;
};

export const STAGES = {
  dev: {
    stage: 'dev',
    production: false,
    // The contract's sample port (CONTRACT.md), so a dev stack and the local simulator speak of the same port.
    portCode: 'CNSGH',
    streamRetentionHours: 24,
    // One provisioned shard (~1,000 records/s) costs about a third of an on-demand stream's hourly base price.
    shardMode: { provisioned: 1 },
    dedupeWindowHours: 48,
    trackRetentionHours: 72,
    maxRecordAgeHours: 6,
    retryAttempts: 10,
    logRetentionDays: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    // On by default even in dev (the rule); `-c tableDeletionProtection=false` before `cdk destroy`.
    tableDeletionProtection: true,
    // Test users sign in with a password alone; the COG2 acknowledgement names this stage's reason.
    agencyIdentity: { mfa: 'optional', threatProtection: 'audit', deletionProtection: false, adminPasswordAuth: true },
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    // Public, so dev's random selection is predictable to anyone who reads this: fine for test data only.
    riskSeed: 'kouan-dev-selectivity-seed-public',
    // Ack within 15 min, complete within 30 min; locally `--time-scale 60` makes these 15 s and 30 s.
    jointControl: { taskTimeoutSeconds: 1800, heartbeatSeconds: 900, incidentMinScore: 80, dedupeMinutes: 60 },
  },
  prod: {
    stage: 'prod',
    production: true,
    portCode: undefined,
    // A week of replay: long enough to recover from a bad deploy found after a weekend.
    streamRetentionHours: 168,
    shardMode: 'on-demand',
    dedupeWindowHours: 336,
    trackRetentionHours: 720,
    maxRecordAgeHours: 6,
    retryAttempts: 10,
    logRetentionDays: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    agencyIdentity: {
      mfa: 'required',
      threatProtection: 'enforced',
      deletionProtection: true,
      adminPasswordAuth: false,
    },
    // Agency desks and apps, not the public: a few hundred requests per second is far above the expected load and
    // caps what a leaked token or a runaway client can cost.
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    riskSeed: undefined,
    // An agency desk answers within half an hour and completes within the hour, or its supervisor hears of it.
    jointControl: { taskTimeoutSeconds: 3600, heartbeatSeconds: 1800, incidentMinScore: 80, dedupeMinutes: 60 },
  },
} as const satisfies Record<string, StageDefaults>;

export type StageName = keyof typeof STAGES;
