import { type Emulators, emulatorEnv, ensurePortTable, localDynamoClient, startEmulators } from '../../local/emulators';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { ENV } from '../../shared/config/env';

export interface LocalTable {
  emulators: Emulators;
  tableName: string;
  db: ReturnType<typeof createDocumentClient>;
  stop(): Promise<void>;
}

/**
 * Starts in-memory emulators, creates the port table and sets the environment the handlers read at module load.
 * Import handler modules only after this resolved.
 */
export async function startLocalTable(tableName = `kouan-test-${process.pid}`): Promise<LocalTable> {
  const emulators = await startEmulators();
  Object.assign(process.env, emulatorEnv(emulators), {
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
    stop: async () => {
      client.destroy();
      await emulators.stop();
    },
  };
}
