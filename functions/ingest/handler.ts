import { Logger } from '@aws-lambda-powertools/logger';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import { DynamoRiskRuleStore } from '../../shared/adapters/dynamodb/dynamodb-risk-rule-store';
import { IotGateCommandPublisher } from '../../shared/adapters/iot/iot-gate-command-publisher';
import { ENV, requireEnv, requireIntEnv } from '../../shared/config/env';
import { compileSettings, DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { createIngestBatchHandler } from '../../shared/platform/kinesis-batch';
import { selectivitySettingsFromSeed } from '../../shared/use-cases/declarations';
import { gateReleasingExit } from '../../shared/use-cases/gate-release';
import { reassessingEvidenceSink } from '../../shared/use-cases/reassess-on-evidence';
import { currentProfileSource } from '../../shared/use-cases/risk-rules';

/**
 * Ingest: Kinesis stream (fed by the IoT topic rule) → the port's database, and device evidence → re-assessment of
 * the open declarations it concerns; a truck at the exit gate → one-stop release and a command to the gate device. Wiring only; the batch semantics live in shared/platform/kinesis-batch.ts and
 * the rules in the domain core.
 */
const logger = new Logger({ serviceName: 'kouan-ingest' });
const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const store = new DynamoIngestStore(db, {
  tableName,
  dedupeWindowHours: requireIntEnv(ENV.dedupeWindowHours),
  trackRetentionHours: requireIntEnv(ENV.trackRetentionHours),
});
const declarations = new DynamoDeclarationStore(db, tableName);
const evidence = reassessingEvidenceSink({
  store: declarations,
  // The same profile source and seed as the API's lodgement (the newest stored revision), so a re-assessment
  // applies the rules in force and draws what the lodgement drew.
  profile: currentProfileSource({ store: new DynamoRiskRuleStore(db, tableName), seed: DEFAULT_RISK_PROFILE }),
  settings: compileSettings(selectivitySettingsFromSeed(requireEnv(ENV.riskSeed))).source,
  events: new DynamoCustomsEventStore(db, tableName),
});

// The account's IoT data endpoint comes from AWS_ENDPOINT_URL_IOT_DATA_PLANE (set by the stack; locally the broker's).
requireEnv(ENV.iotDataEndpoint);
const gateExit = gateReleasingExit({
  store: declarations,
  publisher: new IotGateCommandPublisher(new IoTDataPlaneClient({})),
});

export const handler = createIngestBatchHandler(store, logger, { evidence, gateExit });
