import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { DynamoPerformanceStore } from '../../shared/adapters/dynamodb/dynamodb-performance-store';
import { DynamoRuleHitStore } from '../../shared/adapters/dynamodb/dynamodb-rule-hit-store';
import { EventBridgeNotifier } from '../../shared/adapters/eventbridge/eventbridge-notifier';
import { SfnTaskCallbacks } from '../../shared/adapters/stepfunctions/sfn-task-callbacks';
import { ENV, requireEnv } from '../../shared/config/env';
import type { IncidentSteps } from '../../shared/ports/incident-workflow';
import { createIncidentSteps as incidentSteps } from '../../shared/use-cases/incident-steps';

/**
 * The production `IncidentSteps` of the workflow function, built once per cold start: the incidents, declarations,
 * customs events and rule hits in the port table (AWS_ENDPOINT_URL_DYNAMODB locally), notifications on the agencies'
 * bus (AWS_ENDPOINT_URL_EVENTBRIDGE locally). A missing variable fails the cold start, not the first step.
 */
export function createIncidentSteps(): IncidentSteps {
  const db = createDocumentClient();
  const tableName = requireEnv(ENV.tableName);
  return incidentSteps({
    store: new DynamoIncidentStore(db, tableName),
    notifier: new EventBridgeNotifier(new EventBridgeClient({}), requireEnv(ENV.notificationBusName)),
    declarations: new DynamoDeclarationStore(db, tableName),
    events: new DynamoCustomsEventStore(db, tableName),
    hits: new DynamoRuleHitStore(db, tableName),
    // Releases and holds of the closed loop are time-release facts too (docs/performance.md).
    performance: new DynamoPerformanceStore(db, { tableName }),
    // Answers the second dispatch of a task already completed (AWS_ENDPOINT_URL_SFN locally).
    callbacks: new SfnTaskCallbacks(new SFNClient({})),
  });
}
