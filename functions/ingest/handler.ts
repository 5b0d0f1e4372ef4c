import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import { ENV, requireEnv, requireIntEnv } from '../../shared/config/env';
import { createIngestBatchHandler } from '../../shared/platform/kinesis-batch';

/**
 * Ingest: Kinesis stream (fed by the IoT topic rule) → the port's database. Wiring only; the batch semantics live
 * in shared/platform/kinesis-batch.ts and the rules in the domain core.
 */
const logger = new Logger({ serviceName: 'kouan-ingest' });
const store = new DynamoIngestStore(createDocumentClient(), {
  tableName: requireEnv(ENV.tableName),
  dedupeWindowHours: requireIntEnv(ENV.dedupeWindowHours),
  trackRetentionHours: requireIntEnv(ENV.trackRetentionHours),
});

export const handler = createIngestBatchHandler(store, logger);
