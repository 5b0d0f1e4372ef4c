import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { PortCode } from '../../events/v1/topic';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { DynamoPerformanceStore } from '../../shared/adapters/dynamodb/dynamodb-performance-store';
import { DynamoPortReader } from '../../shared/adapters/dynamodb/dynamodb-port-reader';
import { DynamoRiskRuleStore } from '../../shared/adapters/dynamodb/dynamodb-risk-rule-store';
import { DynamoRuleHitStore } from '../../shared/adapters/dynamodb/dynamodb-rule-hit-store';
import { EventBridgeNotifier } from '../../shared/adapters/eventbridge/eventbridge-notifier';
import { SfnTaskCallbacks } from '../../shared/adapters/stepfunctions/sfn-task-callbacks';
import { SfnWorkflowStarter } from '../../shared/adapters/stepfunctions/sfn-workflow-starter';
import { ENV, evaluatedPortsEnv, requireEnv, requireIntEnv } from '../../shared/config/env';
import { compileSettings, DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { type ApiGatewayEvent, fromApiGatewayEvent, toApiGatewayResult } from '../../shared/http/api-gateway';
import { createRouter } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';
import { type DeclarationDependencies, selectivitySettingsFromSeed } from '../../shared/use-cases/declarations';
import { redLaneIncidentHook } from '../../shared/use-cases/incident-triggers';
import type { IncidentDependencies } from '../../shared/use-cases/incidents';
import type { PerformanceDependencies } from '../../shared/use-cases/performance';
import { currentProfileSource, type RiskRuleDependencies } from '../../shared/use-cases/risk-rules';

/**
 * The agency API: API Gateway HTTP API (payload v2) in the cloud, the local server on localhost. Thin: adapt the
 * event, route, adapt the result.
 */
const logger = new Logger({ serviceName: 'kouan-api' });
const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const reader = new DynamoPortReader(db, tableName);
const riskRules: RiskRuleDependencies = {
  store: new DynamoRiskRuleStore(db, tableName),
  seed: DEFAULT_RISK_PROFILE,
  hits: new DynamoRuleHitStore(db, tableName),
};
const servedPort = PortCode.parse(requireEnv(ENV.portCode));
// Performance evaluation: the buckets of the period from the table, computed on demand (docs/performance.md). The same
// store is the PerformanceRecorder of the customs decision points.
const performanceStore = new DynamoPerformanceStore(db, { tableName });
// Joint control: the state machine (AWS_ENDPOINT_URL_SFN locally) and the agencies' notification bus
// (AWS_ENDPOINT_URL_EVENTBRIDGE locally); the task tokens stay in the table.
const sfn = new SFNClient({});
const incidents: IncidentDependencies = {
  store: new DynamoIncidentStore(db, tableName),
  workflow: new SfnWorkflowStarter(sfn, requireEnv(ENV.incidentWorkflowArn)),
  callbacks: new SfnTaskCallbacks(sfn),
  notifier: new EventBridgeNotifier(new EventBridgeClient({}), requireEnv(ENV.notificationBusName)),
  servedPort,
  dedupeWindowMinutes: requireIntEnv(ENV.incidentDedupeMinutes),
  performance: performanceStore,
};
const declarations: DeclarationDependencies = {
  store: new DynamoDeclarationStore(db, tableName),
  servedPort,
  events: new DynamoCustomsEventStore(db, tableName),
  // The newest stored revision, cached in this process by revision (so compiled once per revision).
  profile: currentProfileSource(riskRules),
  // Compiled here so a bad seed fails the cold start, not the first lodgement.
  settings: compileSettings(selectivitySettingsFromSeed(requireEnv(ENV.riskSeed))).source,
  onAssessed: redLaneIncidentHook(incidents, requireIntEnv(ENV.incidentMinScore)),
  performance: performanceStore,
};
const performance: PerformanceDependencies = {
  store: performanceStore,
  ports: evaluatedPortsEnv(),
};
const route = createRouter(ROUTES, { reader, declarations, riskRules, incidents, performance }, (e) =>
  logger.error('request failed', { error: e as Error }),
);

export const handler = async (event: ApiGatewayEvent, _context: Context): Promise<APIGatewayProxyStructuredResultV2> =>
  toApiGatewayResult(await route(fromApiGatewayEvent(event)));
