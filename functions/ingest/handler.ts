import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import { DynamoPerformanceStore } from '../../shared/adapters/dynamodb/dynamodb-performance-store';
import { DynamoRiskRuleStore } from '../../shared/adapters/dynamodb/dynamodb-risk-rule-store';
import { EventBridgeNotifier } from '../../shared/adapters/eventbridge/eventbridge-notifier';
import { IotGateCommandPublisher } from '../../shared/adapters/iot/iot-gate-command-publisher';
import { SfnWorkflowStarter } from '../../shared/adapters/stepfunctions/sfn-workflow-starter';
import { ENV, requireEnv, requireIntEnv } from '../../shared/config/env';
import { PORT_AREAS } from '../../shared/domain/performance/port-areas';
import { compileSettings, DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { createIngestBatchHandler } from '../../shared/platform/kinesis-batch';
import { selectivitySettingsFromSeed } from '../../shared/use-cases/declarations';
import { gateReleasingExit } from '../../shared/use-cases/gate-release';
import {
  incidentRaisingAlertSink,
  redLaneIncidentHook,
  redLaneRaisingEvidenceSink,
} from '../../shared/use-cases/incident-triggers';
import type { IncidentRaiseDependencies } from '../../shared/use-cases/incidents';
import { performanceFeed } from '../../shared/use-cases/performance-feed';
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
// Time-release facts: the device messages' (below) and the incidents' response times.
const performanceStore = new DynamoPerformanceStore(db, { tableName });
// Joint control: alerts and red lanes raise incidents, each starting its workflow and notifying the agencies.
const incidents: IncidentRaiseDependencies = {
  store: new DynamoIncidentStore(db, tableName),
  workflow: new SfnWorkflowStarter(new SFNClient({}), requireEnv(ENV.incidentWorkflowArn)),
  notifier: new EventBridgeNotifier(new EventBridgeClient({}), requireEnv(ENV.notificationBusName)),
  servedPort: requireEnv(ENV.portCode),
  dedupeWindowMinutes: requireIntEnv(ENV.incidentDedupeMinutes),
  performance: performanceStore,
};
const alerts = incidentRaisingAlertSink(incidents);
const evidence = redLaneRaisingEvidenceSink(
  {
    store: declarations,
    // The same profile source and seed as the API's lodgement (the newest stored revision), so a re-assessment
    // applies the rules in force and draws what the lodgement drew.
    profile: currentProfileSource({ store: new DynamoRiskRuleStore(db, tableName), seed: DEFAULT_RISK_PROFILE }),
    settings: compileSettings(selectivitySettingsFromSeed(requireEnv(ENV.riskSeed))).source,
    events: new DynamoCustomsEventStore(db, tableName),
  },
  redLaneIncidentHook(incidents, requireIntEnv(ENV.incidentMinScore)),
);

// The account's IoT data endpoint comes from AWS_ENDPOINT_URL_IOT_DATA_PLANE (set by the stack; locally the broker's).
requireEnv(ENV.iotDataEndpoint);
const gateExit = gateReleasingExit({
  store: declarations,
  publisher: new IotGateCommandPublisher(new IoTDataPlaneClient({})),
  incidents: incidents.store,
});

// Port performance: device messages → facts, gate visits, vessel calls, equipment intervals (docs/performance.md).
const performance = performanceFeed({ store: performanceStore, areas: PORT_AREAS });

export const handler = createIngestBatchHandler(store, logger, { evidence, gateExit, alerts, performance });
