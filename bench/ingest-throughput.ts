import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client';
import { DynamoIngestStore } from '../shared/adapters/dynamodb/dynamodb-ingest-store';
import { planIngest } from '../shared/domain/ingest/plan-ingest';
import { createIngestBatchHandler } from '../shared/platform/kinesis-batch';
import type { IngestSession, IngestStore } from '../shared/ports/ingest-store';
import { trafficRecords } from './traffic-mix';

export interface IngestThroughput {
  /** decode + validate + normalise + build the writes (the pure planner), events/s on one core. */
  planPerSecond: number;
  /** The whole handler (Powertools batch, per-device sequencing, planner, use case) with the store port stubbed. */
  handlerPerSecond: number;
  /** The same with the real DynamoDB adapter and AWS SDK serialising every request; only the network is stubbed. */
  handlerWithSdkPerSecond: number;
  /** DynamoDB requests per event in that run. */
  requestsPerEvent: number;
  /** JSON.parse of the same records (the stream record, then the payload inside), in the same process. */
  jsonParsePerSecond: number;
}

const ctx = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const quiet = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });

function batchesOf(count: number): KinesisStreamRecord[][] {
  return Array.from({ length: count }, (_, b) =>
    trafficRecords(100).map((r, i) => ({
      ...r,
      kinesis: { ...r.kinesis, sequenceNumber: `${b}${i}`, partitionKey: `${r.kinesis.partitionKey}` },
    })),
  );
}

/** Runs `fn` over and over for about `seconds` after a warm-up; returns items per second. */
async function rate(seconds: number, perRun: number, fn: () => Promise<void> | void): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    await fn();
    n += perRun;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** A store whose every write succeeds at once: the I/O boundary (the port) stubbed. */
const stubStore: IngestStore = {
  session: (): IngestSession => ({
    prefetch: async () => undefined,
    claim: () => true,
    apply: async () => undefined,
    deadLetter: () => undefined,
    done: () => undefined,
    flush: async () => undefined,
  }),
};

export async function benchIngest(seconds = 5): Promise<IngestThroughput> {
  const batches = batchesOf(20);
  const records = batches.flat();
  const payloads = records.map((r) => Buffer.from(r.kinesis.data, 'base64'));

  const planPerSecond = await rate(seconds, payloads.length, () => {
    for (const p of payloads) planIngest(p, '2026-11-26T00:00:00.000Z');
  });

  const stubbed = createIngestBatchHandler(stubStore, quiet);
  const handlerPerSecond = await rate(seconds, records.length, async () => {
    for (const Records of batches) await stubbed({ Records }, ctx);
  });

  let requests = 0;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    endpoint: 'http://127.0.0.1:9',
  });
  // Answer every request after it was built, serialised and signed-to-be, before any socket is touched.
  client.middlewareStack.add(
    () => async () => {
      requests++;
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'build', priority: 'low', name: 'benchNoNetwork' },
  );
  const store = new DynamoIngestStore(createDocumentClient(client), {
    tableName: 'bench',
    dedupeWindowHours: 192,
    trackRetentionHours: 48,
  });
  const withSdk = createIngestBatchHandler(store, quiet);
  requests = 0;
  let events = 0;
  const handlerWithSdkPerSecond = await rate(seconds, records.length, async () => {
    for (const Records of batches) {
      await withSdk({ Records }, ctx);
      events += Records.length;
    }
  });

  const jsonParsePerSecond = await rate(seconds / 2, payloads.length, () => {
    for (const p of payloads) {
      const rec = JSON.parse(p.toString('utf8')) as { raw: string };
      JSON.parse(Buffer.from(rec.raw, 'base64').toString('utf8'));
    }
  });

  return {
    planPerSecond,
    handlerPerSecond,
    handlerWithSdkPerSecond,
    requestsPerEvent: requests / events,
    jsonParsePerSecond,
  };
}
