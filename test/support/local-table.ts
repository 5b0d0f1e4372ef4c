import { type Emulators, emulatorEnv, ensurePortTable, localDynamoClient, startEmulators } from '../../local/emulators';
import { startIotDataEndpoint } from '../../local/iot-data-endpoint';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { ENV } from '../../shared/config/env';

export interface LocalTable {
  emulators: Emulators;
  tableName: string;
  db: ReturnType<typeof createDocumentClient>;
  /** What the handlers published through the IoT data endpoint (gate commands), oldest first. */
  published: { topic: string; payload: unknown; qos: 0 | 1 }[];
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
  Object.assign(process.env, emulatorEnv(emulators), {
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
    stop: async () => {
      client.destroy();
      await iotData.stop();
      await emulators.stop();
    },
  };
}
