import { type Emulators, emulatorEnv, ensurePortTable, localDynamoClient, startEmulators } from '../../local/emulators';
import { type LocalNotification, startEventBridgeEndpoint } from '../../local/eventbridge-endpoint';
import { startIotDataEndpoint } from '../../local/iot-data-endpoint';
import { type LocalJointControl, startLocalJointControl } from '../../local/step-functions/joint-control';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { ENV } from '../../shared/config/env';

export interface LocalTable {
  emulators: Emulators;
  tableName: string;
  db: ReturnType<typeof createDocumentClient>;
  /** What the handlers published through the IoT data endpoint (gate commands), oldest first. */
  published: { topic: string; payload: unknown; qos: 0 | 1 }[];
  /** What the handlers sent to the agencies (the local EventBridge feed), oldest first. */
  notifications(): LocalNotification[];
  /** The joint-control state machine the handlers start (its steps run the real workflow handler). */
  jointControl: LocalJointControl;
  stop(): Promise<void>;
}

/**
 * Starts in-memory emulators, creates the port table and sets the environment the handlers read at module load.
 * Import handler modules only after this resolved.
 */
export async function startLocalTable(tableName = `kouan-test-${process.pid}`): Promise<LocalTable> {
  const emulators = await startEmulators();
  const published: LocalTable['published'] = [];
  const iotData = await startIotDataEndpoint({
    port: 0,
    onPublish: async (topic, payload, qos) => {
      published.push({ topic, payload: JSON.parse(payload.toString('utf8')), qos });
    },
  });
  const notificationFeed = await startEventBridgeEndpoint({ port: 0 });
  // The real workflow handler, loaded at the first step (after the environment below is set).
  const jointControl = await startLocalJointControl({
    invoke: async (payload) => (await import('../../functions/incident-workflow/handler')).handler(payload),
  });
  Object.assign(process.env, emulatorEnv(emulators), {
    AWS_ENDPOINT_URL_EVENTBRIDGE: notificationFeed.url,
    AWS_ENDPOINT_URL_SFN: jointControl.url,
    [ENV.incidentWorkflowArn]: jointControl.stateMachineArn,
    [ENV.notificationBusName]: 'kouan-test-notifications',
    [ENV.incidentMinScore]: '80',
    [ENV.incidentDedupeMinutes]: '60',
    [ENV.iotDataEndpoint]: iotData.url,
    [ENV.tableName]: tableName,
    [ENV.dedupeWindowHours]: '192',
    [ENV.trackRetentionHours]: '48',
    [ENV.portCode]: 'CNSGH',
    [ENV.riskSeed]: 'kouan-test-selectivity-seed',
  });
  const client = localDynamoClient(emulators);
  await ensurePortTable(client, tableName);
  const db = createDocumentClient(client);
  return {
    emulators,
    tableName,
    db,
    published,
    notifications: () => notificationFeed.recent(),
    jointControl,
    stop: async () => {
      await jointControl.stop();
      await notificationFeed.stop();
      client.destroy();
      await iotData.stop();
      await emulators.stop();
    },
  };
}
