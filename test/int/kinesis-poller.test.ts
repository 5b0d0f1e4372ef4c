import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { type Emulators, ensureStream, localKinesisClient, startEmulators } from '../../local/emulators';
import { type KinesisHandler, KinesisPoller, type OnFailureRecord } from '../../local/kinesis-poller';
import {
  ProducerStoppedError,
  type PutRecordsClient,
  RecordTooLargeError,
  StreamProducer,
  type UndeliverableRecord,
} from '../../local/stream-producer';

// The local event source mapping against kinesalite, with stand-in handlers written here: what the ingest
// function relies on (real-shaped events, partial batch failures, bounded retries, per-key order).

let emulators: Emulators;
let kinesis: KinesisClient;
let streamCount = 0;
const pollers: KinesisPoller[] = [];
const tmpDirs: string[] = [];

beforeAll(async () => {
  emulators = await startEmulators();
  kinesis = localKinesisClient(emulators);
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  kinesis.destroy();
  await emulators.stop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

async function newStream(shards: number): Promise<string> {
  const name = `poller-test-${++streamCount}`;
  await ensureStream(kinesis, name, shards);
  return name;
}

/** Writes records in one PutRecords call, so they land in one shard batch in this order. */
async function putAll(streamName: string, entries: { key: string; value: string }[]): Promise<void> {
  const res = await kinesis.send(
    new PutRecordsCommand({
      StreamName: streamName,
      Records: entries.map((e) => ({ PartitionKey: e.key, Data: Buffer.from(e.value) })),
    }),
  );
  expect(res.FailedRecordCount ?? 0).toBe(0);
}

function startPoller(
  streamName: string,
  handler: KinesisHandler,
  extra: { maxRetryAttempts?: number; onFailureFile?: string } = {},
) {
  const poller = new KinesisPoller({ client: kinesis, streamName, handler, idleWaitMs: 5, retryDelayMs: 1, ...extra });
  pollers.push(poller);
  return poller;
}

const recordText = (r: KinesisStreamRecord): string => Buffer.from(r.kinesis.data, 'base64').toString('utf8');

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('KinesisPoller (local event source mapping)', () => {
  it('invokes the handler with real-shaped KinesisStreamEvents', async () => {
    const streamName = await newStream(1);
    const before = Date.now() / 1000;
    await putAll(streamName, [{ key: 'gate-01', value: '{"hello":"port"}' }]);
    const events: KinesisStreamEvent[] = [];
    await startPoller(streamName, async (event, context) => {
      expect(context.functionName).toBe('kouan-ingest');
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      events.push(event);
      return { batchItemFailures: [] };
    }).start();

    await waitFor(() => events.length === 1);

    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventName: 'aws:kinesis:record',
      awsRegion: 'us-east-1',
      eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`,
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'gate-01' },
    });
    expect(record?.eventID).toBe(`shardId-000000000000:${record?.kinesis.sequenceNumber}`);
    expect(record && recordText(record)).toBe('{"hello":"port"}');
    // Seconds with a fraction, as Lambda sends it (not ms, not a Date).
    expect(record?.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(Math.floor(before));
    expect(record?.kinesis.approximateArrivalTimestamp).toBeLessThan(before + 60);
  });

  it('retries from the lowest failed record and never re-sends the records before it', async () => {
    const streamName = await newStream(1);
    await putAll(
      streamName,
      ['a', 'b', 'c', 'd', 'e'].map((value) => ({ key: 'k', value })),
    );
    const invocations: string[][] = [];
    const poller = startPoller(streamName, async (event) => {
      const values = event.Records.map(recordText);
      invocations.push(values);
      if (invocations.length > 1) return { batchItemFailures: [] };
      // Report d before c: the mapping must pick the lowest sequence number, not the first reported.
      const failed = event.Records.filter((r) => ['d', 'c'].includes(recordText(r))).reverse();
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
    });
    await poller.start();

    await waitFor(() => poller.stats().processed === 5);

    expect(invocations).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['c', 'd', 'e'],
    ]);
    expect(poller.stats()).toMatchObject({ invocations: 2, retries: 1, failures: 0 });
  });

  it('retries the whole batch when the handler throws or names an unknown record', async () => {
    const streamName = await newStream(1);
    await putAll(streamName, [
      { key: 'k', value: 'a' },
      { key: 'k', value: 'b' },
    ]);
    const invocations: string[][] = [];
    const poller = startPoller(streamName, async (event) => {
      invocations.push(event.Records.map(recordText));
      if (invocations.length === 1) throw new Error('boom');
      if (invocations.length === 2) return { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] };
      return undefined;
    });
    await poller.start();

    await waitFor(() => poller.stats().processed === 2);

    expect(invocations).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('sends a batch that keeps failing to the on-failure destination and moves on', async () => {
    const streamName = await newStream(1);
    const dir = mkdtempSync(join(tmpdir(), 'kouan-poller-'));
    tmpDirs.push(dir);
    const onFailureFile = join(dir, 'on-failure.jsonl');
    await putAll(streamName, [
      { key: 'k', value: 'ok' },
      { key: 'k', value: 'poison' },
    ]);
    const seen: string[] = [];
    const poller = startPoller(
      streamName,
      async (event): Promise<KinesisStreamBatchResponse> => {
        seen.push(...event.Records.map(recordText));
        const poison = event.Records.filter((r) => recordText(r) === 'poison');
        return { batchItemFailures: poison.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
      },
      { maxRetryAttempts: 3, onFailureFile },
    );
    await poller.start();
    await waitFor(() => poller.stats().failures === 1);

    // The shard is not blocked: a record behind the poison batch is still handled.
    await putAll(streamName, [{ key: 'k', value: 'after' }]);
    await waitFor(() => seen.includes('after'));

    expect(seen.filter((v) => v === 'poison')).toHaveLength(4); // first try + 3 retries
    expect(seen.filter((v) => v === 'ok')).toHaveLength(1);
    const lines = readFileSync(onFailureFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as OnFailureRecord;
    expect(record.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 });
    expect(record.KinesisBatchInfo).toMatchObject({ shardId: 'shardId-000000000000', batchSize: 1 });
    expect(poller.stats()).toMatchObject({ failures: 1, failedRecords: 1, processed: 3 });
  });

  it('resumes after the checkpoint instead of replaying the stream', async () => {
    const streamName = await newStream(1);
    const dir = mkdtempSync(join(tmpdir(), 'kouan-poller-'));
    tmpDirs.push(dir);
    const checkpointFile = join(dir, 'checkpoints.json');
    await putAll(streamName, [{ key: 'k', value: 'first' }]);
    const first = new KinesisPoller({ client: kinesis, streamName, handler: async () => undefined, checkpointFile });
    await first.start();
    await waitFor(() => first.stats().processed === 1);
    await first.stop();

    await putAll(streamName, [{ key: 'k', value: 'second' }]);
    const seen: string[] = [];
    const resumed = new KinesisPoller({
      client: kinesis,
      streamName,
      checkpointFile,
      handler: async (event) => {
        seen.push(...event.Records.map(recordText));
        return undefined;
      },
    });
    pollers.push(resumed);
    await resumed.start();
    await waitFor(() => seen.includes('second'));

    // One shard is read in order: had it replayed, 'first' would have come before 'second'.
    expect(seen).toEqual(['second']);
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8'))).toMatchObject({ streamName });
  });

  it('keeps per-partition-key order end to end, through PutRecords partial failures and batch item failures', async () => {
    const streamName = await newStream(4);
    const keys = Array.from({ length: 12 }, (_, i) => `device-${i}`);
    const perKey = 60;
    // Deterministic "random" so a failure is reproducible.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const producer = new StreamProducer({ client: flaky(kinesis, random), streamName, retryDelayMs: 1, lingerMs: 1 });

    const handled = new Map<string, number[]>();
    const failedOnce = new Set<string>();
    const poller = startPoller(
      streamName,
      async (event) => {
        // An ordered consumer: handle in order, and on the first failure report it and everything after it. Each
        // record fails at most once (a transient error), so every retry makes progress.
        const failures: KinesisStreamBatchResponse['batchItemFailures'] = [];
        for (const r of event.Records) {
          const seq = r.kinesis.sequenceNumber;
          if (failures.length > 0 || (!failedOnce.has(seq) && random() < 0.1)) {
            failedOnce.add(seq);
            failures.push({ itemIdentifier: seq });
            continue;
          }
          const [key, n] = recordText(r).split(':');
          const list = handled.get(key ?? '') ?? [];
          list.push(Number(n));
          handled.set(key ?? '', list);
        }
        return { batchItemFailures: failures };
      },
      // This test is about order through retries, not about giving up: a full batch of 100 may need ~10 retries.
      { maxRetryAttempts: 100 },
    );
    await poller.start();

    for (let n = 0; n < perKey; n++) {
      for (const key of keys) producer.put(key, Buffer.from(`${key}:${n}`));
      if (n % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    expect(await producer.flush(10_000)).toBe(true);
    await waitFor(() => poller.stats().processed === keys.length * perKey, 15_000);
    await producer.stop();

    const expected = Array.from({ length: perKey }, (_, n) => n);
    for (const key of keys) expect(handled.get(key)).toEqual(expected);
    const stats = producer.stats();
    expect(stats.failed).toBeGreaterThan(0); // the flaky client did fail some entries
    expect(stats).toMatchObject({ in: keys.length * perKey, sent: keys.length * perKey, pending: 0, undeliverable: 0 });
    expect(poller.stats().retries).toBeGreaterThan(0);
  }, 30_000);

  it('keeps retrying while the stream is down and hands over what is left at stop, in order, never silently', async () => {
    let calls = 0;
    const down: PutRecordsClient = {
      send: async () => {
        calls++;
        throw new Error('connect ECONNREFUSED 127.0.0.1:4567');
      },
    };
    const left: UndeliverableRecord[] = [];
    const producer = new StreamProducer({
      client: down,
      streamName: 'nowhere',
      retryDelayMs: 1,
      maxRetryDelayMs: 5,
      onUndeliverable: (records) => left.push(...records),
    });

    producer.put('k', Buffer.from('a'));
    producer.put('j', Buffer.from('x'));
    producer.put('k', Buffer.from('b'));
    await producer.stop(100);

    expect(calls).toBeGreaterThan(2);
    expect(left.map((r) => `${r.partitionKey}:${Buffer.from(r.data).toString()}`)).toEqual(['k:a', 'k:b', 'j:x']);
    expect(producer.stats()).toMatchObject({ in: 3, sent: 0, pending: 0, undeliverable: 3 });
    expect(() => producer.put('k', Buffer.from('c'))).toThrow(ProducerStoppedError);
  });

  it('refuses, synchronously, a record Kinesis could never take', () => {
    const producer = new StreamProducer({ client: kinesis, streamName: 'any' });

    expect(() => producer.put('k', Buffer.alloc(1024 * 1024 + 1))).toThrow(RecordTooLargeError);
    expect(producer.stats().in).toBe(0);
  });
});

/**
 * A PutRecords client that fails about a fifth of the entries of each request the way Kinesis reports partial
 * failures (ProvisionedThroughputExceededException per entry): those entries are not written at all.
 */
function flaky(client: KinesisClient, random: () => number): PutRecordsClient {
  return {
    async send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput> {
      const records = command.input.Records ?? [];
      const fail = records.map(() => random() < 0.2);
      const kept = records.filter((_, i) => !fail[i]);
      const written = kept.length
        ? await client.send(new PutRecordsCommand({ StreamName: command.input.StreamName, Records: kept }))
        : { Records: [], $metadata: {} };
      const results: PutRecordsResultEntry[] = [];
      let k = 0;
      for (const failed of fail) {
        results.push(
          failed
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
            : (written.Records?.[k++] ?? { ErrorCode: 'InternalFailure' }),
        );
      }
      return { Records: results, FailedRecordCount: fail.filter(Boolean).length, $metadata: {} };
    },
  };
}
