import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client';
import { DynamoIngestStore } from '../shared/adapters/dynamodb/dynamodb-ingest-store';
import { createIngestBatchHandler } from '../shared/platform/kinesis-batch';
import { trafficRecords } from './traffic-mix';

export interface IngestThroughput {
  events: number;
  eventsPerSecond: number;
  /** JSON.parse of the same records' payload bytes, in the same process: the machine's yardstick. */
  jsonParsePerSecond: number;
  writesPerEvent: number;
}

/**
 * The ingest handler end to end in-process: Powertools batch, per-device sequencing, decode, validate, normalise,
 * and the real DynamoDB adapter building and serialising every write. Only the network is stubbed: a middleware
 * answers each request at the build step (after serialisation), so the figure is CPU per event.
 */
export async function benchIngest(seconds = 5): Promise<IngestThroughput> {
  let writes = 0;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    endpoint: 'http://127.0.0.1:9',
  });
  client.middlewareStack.add(
    () => async () => {
      writes++;
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'build', priority: 'low', name: 'benchNoNetwork' },
  );
  const store = new DynamoIngestStore(createDocumentClient(client), {
    tableName: 'bench',
    dedupeWindowHours: 192,
    trackRetentionHours: 48,
  });
  const handler = createIngestBatchHandler(store, new Logger({ serviceName: 'bench', logLevel: 'SILENT' }));
  const ctx = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

  const batches = Array.from({ length: 50 }, (_, b) =>
    trafficRecords(100).map((r, i) => ({ ...r, kinesis: { ...r.kinesis, sequenceNumber: `${b}${i}` } })),
  );
  // Warm up the JIT before measuring.
  for (const records of batches.slice(0, 10)) await handler({ Records: records }, ctx);

  writes = 0;
  let events = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (const records of batches) {
      const res = await handler({ Records: records }, ctx);
      if (res.batchItemFailures.length > 0) throw new Error('benchmark batch reported failures');
      events += records.length;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;

  const payloads = batches.flat().map((r) => Buffer.from(r.kinesis.data, 'base64'));
  let parsed = 0;
  const cStart = process.hrtime.bigint();
  const cDeadline = cStart + BigInt(Math.max(1, seconds / 2) * 1e9);
  while (process.hrtime.bigint() < cDeadline) {
    for (const p of payloads) {
      const rec = JSON.parse(p.toString('utf8')) as { raw: string };
      JSON.parse(Buffer.from(rec.raw, 'base64').toString('utf8'));
      parsed++;
    }
  }
  const cElapsed = Number(process.hrtime.bigint() - cStart) / 1e9;
  return {
    events,
    eventsPerSecond: events / elapsed,
    jsonParsePerSecond: parsed / cElapsed,
    writesPerEvent: writes / events,
  };
}
