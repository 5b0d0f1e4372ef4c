import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { ACCOUNT, lambdaContext } from './lambda-context';

/**
 * The local Kinesis → Lambda event source mapping. No npm package provides one for SDK v3 (TOOLCHAIN.md), so this
 * plays the parts of it the ingest function relies on:
 * - one poller per shard, one invocation at a time per shard (ParallelizationFactor 1), so one device's records
 *   (one partition key, one shard) are handled in order;
 * - real-shaped `KinesisStreamEvent`s and a Lambda `Context`;
 * - ReportBatchItemFailures: the batch is retried from the lowest failed sequence number; records before it are
 *   checkpointed and never re-sent; an unknown or empty itemIdentifier, or a thrown error, fails the whole batch;
 * - MaximumRetryAttempts: after that many retries the batch goes to the on-failure destination (a JSON line in the
 *   cloud's `KinesisBatchInfo` shape) and the shard moves on, so a poison batch never blocks it for good.
 * Fast polling matters for the latency budget (p99 ≤ 50 ms publish → readable): an empty GetRecords waits
 * `idleWaitMs`, a full one loops at once.
 */

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context,
) => Promise<KinesisStreamBatchResponse | undefined>;

export interface KinesisPollerOptions {
  client: KinesisClient;
  streamName: string;
  handler: KinesisHandler;
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  region?: string;
  /** Name in the fake Lambda context and ARNs. @default 'kouan-ingest' */
  functionName?: string;
  /** Records per invocation (the mapping's BatchSize). @default 100 */
  batchSize?: number;
  /** Wait after an empty GetRecords, unless `wake()` comes first. @default 15 */
  idleWaitMs?: number;
  /**
   * After a caught-up shard is woken by new records, wait this long before reading, so that one invocation takes
   * several records (the mapping's MaximumBatchingWindowInSeconds): fewer, fuller batches for a little latency.
   * @default 0
   */
  batchWindowMs?: number;
  /** Retries of a failing batch before it goes to the on-failure destination. @default 10 */
  maxRetryAttempts?: number;
  /** First retry delay; doubles per retry, capped at 500 ms. @default 10 */
  retryDelayMs?: number;
  /** Fake function timeout, reported by `context.getRemainingTimeInMillis()`. @default 60000 */
  functionTimeoutMs?: number;
  /**
   * Where to keep the last processed sequence number per shard, so a restart on a persisted data dir resumes
   * instead of replaying the whole stream (replays are idempotent, just slow). Fresh start: TRIM_HORIZON.
   */
  checkpointFile?: string;
  /** On-failure destination: JSON lines. Without it, exhausted batches are only logged (and counted). */
  onFailureFile?: string;
  log?: (message: string) => void;
}

/** The record Lambda sends to an on-failure destination for a Kinesis source. */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface KinesisPollerStats {
  /** GetRecords calls. */
  reads: number;
  /** Records whose batch completed (handled, or sent to the on-failure destination). */
  processed: number;
  invocations: number;
  /** Re-invocations after a failure (whole batch or from the lowest failed record). */
  retries: number;
  /** Batches sent to the on-failure destination. */
  failures: number;
  /** Records in those batches. */
  failedRecords: number;
  /**
   * How far behind the stream the mapping is, in ms: the age of the oldest record being handled now, or, when
   * caught up, how old the last handled record was when its batch finished. (kinesalite's MillisBehindLatest is
   * always 0, so it is measured here.)
   */
  lagMs: number;
}

interface ShardState {
  /** Last checkpointed (fully handled) sequence number. */
  checkpoint: string | undefined;
  /** Arrival (epoch ms) of the oldest record of the batch in flight. */
  inFlightSince: number | undefined;
  lastLagMs: number;
  /** Set by wake(): records may have arrived since the last GetRecords started, so do not sleep. */
  dirty: boolean;
  /** Ends the current idle wait early. */
  wakeUp: (() => void) | undefined;
}

interface CheckpointFile {
  streamName: string;
  shards: Record<string, string>;
  updatedAt: string;
}

export class KinesisPoller {
  private readonly shards = new Map<string, ShardState>();
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  private stopping = false;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private lastErrorLogAt = 0;
  private readonly counts = { reads: 0, processed: 0, invocations: 0, retries: 0, failures: 0, failedRecords: 0 };
  private readonly region: string;
  private readonly functionName: string;
  private readonly streamArn: string;
  private readonly log: (message: string) => void;

  constructor(private readonly options: KinesisPollerOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.functionName = options.functionName ?? 'kouan-ingest';
    this.streamArn = `arn:aws:kinesis:${this.region}:${ACCOUNT}:stream/${options.streamName}`;
    this.log = options.log ?? (() => {});
  }

  /** Lists the shards and starts one poll loop per shard. Resolves once every loop holds a shard iterator. */
  async start(): Promise<void> {
    const saved = this.readCheckpoints();
    const shardIds: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.options.client.send(
        nextToken
          ? new ListShardsCommand({ NextToken: nextToken })
          : new ListShardsCommand({ StreamName: this.options.streamName }),
      );
      for (const s of res.Shards ?? []) if (s.ShardId) shardIds.push(s.ShardId);
      nextToken = res.NextToken;
    } while (nextToken);
    const iterators = await Promise.all(
      shardIds.map(async (shardId) => {
        this.shards.set(shardId, { ...newShardState(), checkpoint: saved[shardId] });
        return [shardId, await this.iteratorFor(shardId)] as const;
      }),
    );
    for (const [shardId, iterator] of iterators) this.loops.push(this.runShard(shardId, iterator));
  }

  stats(): KinesisPollerStats {
    const now = Date.now();
    let lagMs = 0;
    for (const s of this.shards.values()) {
      lagMs = Math.max(lagMs, s.inFlightSince === undefined ? s.lastLagMs : now - s.inFlightSince);
    }
    return { ...this.counts, lagMs };
  }

  /**
   * Says that records were just written to these shards (all shards when omitted), so their pollers read now
   * instead of finishing their idle wait.
   */
  wake(shardIds?: Iterable<string>): void {
    for (const id of shardIds ?? this.shards.keys()) {
      const s = this.shards.get(id);
      if (!s) continue;
      s.dirty = true;
      s.wakeUp?.();
    }
  }

  /** Lets the batches being handled finish, stops polling and saves the checkpoints. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([Promise.allSettled(this.loops), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') this.log(`a handler invocation was still running after ${timeoutMs} ms at shutdown`);
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.writeCheckpoints();
  }

  private async runShard(shardId: string, firstIterator: string | undefined): Promise<void> {
    const state = this.shardState(shardId);
    const batchSize = this.options.batchSize ?? 100;
    const batchWindowMs = this.options.batchWindowMs ?? 0;
    let iterator = firstIterator;
    let caughtUp = false;
    while (!this.stopping && iterator) {
      if (caughtUp && batchWindowMs > 0) await this.sleep(batchWindowMs);
      caughtUp = false;
      let records: _Record[];
      state.dirty = false;
      this.counts.reads++;
      try {
        const res = await this.options.client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
        );
        records = res.Records ?? [];
        iterator = res.NextShardIterator;
      } catch (e) {
        if (this.stopping) break;
        if ((e as Error).name === 'ExpiredIteratorException') {
          iterator = await this.iteratorFor(shardId).catch(() => iterator);
          continue;
        }
        this.logRateLimited(`GetRecords on ${shardId} failed, retrying: ${(e as Error).message}`);
        await this.sleep(250);
        continue;
      }
      if (records.length === 0) {
        if (!state.dirty) {
          await this.idle(state);
          caughtUp = true;
        }
        continue;
      }
      try {
        await this.deliver(shardId, records);
      } catch (e) {
        // Only the on-failure file can throw here (disk full, permissions): keep the shard going and say so.
        this.logRateLimited(`delivering a batch on ${shardId} failed: ${(e as Error).message}`);
      }
      // A short batch read everything written before the read began, and a write since would have set `dirty`:
      // the shard is caught up, so wait for the next wake instead of spending a GetRecords to learn it is empty.
      if (records.length < batchSize && !state.dirty) {
        await this.idle(state);
        caughtUp = true;
      }
    }
  }

  /** Invokes the handler until the batch is done, honouring batchItemFailures; bounded by maxRetryAttempts. */
  private async deliver(shardId: string, records: _Record[]): Promise<void> {
    const state = this.shardState(shardId);
    const maxRetries = this.options.maxRetryAttempts ?? 10;
    let remaining = records;
    let retries = 0;
    let lastError: string | undefined;
    state.inFlightSince = arrivalMs(records[0]);
    try {
      for (;;) {
        const failedFrom = await this.invoke(shardId, remaining).then(
          (res) => firstFailedIndex(remaining, res),
          (e: unknown) => {
            lastError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
            this.logRateLimited(`ingest handler threw on ${shardId} (whole batch retried): ${lastError}`);
            return 0;
          },
        );
        if (failedFrom === undefined) {
          this.complete(shardId, remaining);
          return;
        }
        if (failedFrom > 0) {
          // Everything before the lowest failure is done: checkpoint it so a retry never re-sends it.
          this.complete(shardId, remaining.slice(0, failedFrom));
          remaining = remaining.slice(failedFrom);
          state.inFlightSince = arrivalMs(remaining[0]);
        }
        if (retries >= maxRetries) {
          this.sendToOnFailure(shardId, remaining, retries + 1, lastError);
          this.complete(shardId, remaining);
          return;
        }
        // Not checkpointed: the next start re-reads these records (at-least-once, like the cloud).
        if (this.stopping) return;
        retries++;
        this.counts.retries++;
        await this.sleep(Math.min(500, (this.options.retryDelayMs ?? 10) * 2 ** (retries - 1)));
        if (this.stopping) return;
      }
    } finally {
      state.inFlightSince = undefined;
    }
  }

  private invoke(shardId: string, records: _Record[]): Promise<KinesisStreamBatchResponse | undefined> {
    this.counts.invocations++;
    const event: KinesisStreamEvent = { Records: records.map((r) => this.toEventRecord(shardId, r)) };
    const context = lambdaContext(this.functionName, this.region, this.options.functionTimeoutMs ?? 60_000);
    return this.options.handler(event, context);
  }

  private toEventRecord(shardId: string, r: _Record): KinesisStreamRecord {
    const sequenceNumber = r.SequenceNumber ?? '';
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey ?? '',
        sequenceNumber,
        data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: arrivalMs(r) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/${this.functionName}-role`,
      awsRegion: this.region,
      eventSourceARN: this.streamArn,
    };
  }

  private complete(shardId: string, records: _Record[]): void {
    const last = records.at(-1);
    if (!last) return;
    const state = this.shardState(shardId);
    state.checkpoint = last.SequenceNumber;
    state.lastLagMs = Date.now() - arrivalMs(last);
    this.counts.processed += records.length;
    this.scheduleCheckpointWrite();
  }

  private sendToOnFailure(shardId: string, records: _Record[], invokeCount: number, error: string | undefined): void {
    const first = records[0];
    const last = records.at(-1);
    if (!first || !last) return;
    const record: OnFailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${this.region}:${ACCOUNT}:function:${this.functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(error ? { functionError: 'Unhandled' } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber ?? '',
        endSequenceNumber: last.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: new Date(arrivalMs(first)).toISOString(),
        approximateArrivalOfLastRecord: new Date(arrivalMs(last)).toISOString(),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
    this.counts.failures++;
    this.counts.failedRecords += records.length;
    const where = this.options.onFailureFile ?? 'the console (in memory)';
    this.log(
      `batch of ${records.length} record(s) on ${shardId} failed ${invokeCount} times; sent to on-failure destination ${where}` +
        (this.options.onFailureFile ? '' : `: ${JSON.stringify(record)}`),
    );
    if (this.options.onFailureFile) {
      mkdirSync(dirname(this.options.onFailureFile), { recursive: true });
      appendFileSync(this.options.onFailureFile, `${JSON.stringify(record)}\n`);
    }
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const checkpoint = this.shardState(shardId).checkpoint;
    const type: ShardIteratorType = checkpoint ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    try {
      const res = await this.options.client.send(
        new GetShardIteratorCommand({
          StreamName: this.options.streamName,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(checkpoint ? { StartingSequenceNumber: checkpoint } : {}),
        }),
      );
      return res.ShardIterator;
    } catch (e) {
      if (!checkpoint || (e as Error).name !== 'InvalidArgumentException') throw e;
      // The checkpoint belongs to a stream that no longer exists (its data was deleted): start over.
      this.log(`checkpoint for ${shardId} is not in the stream; reading it from the start`);
      this.shardState(shardId).checkpoint = undefined;
      return this.iteratorFor(shardId);
    }
  }

  private shardState(shardId: string): ShardState {
    let s = this.shards.get(shardId);
    if (!s) {
      s = newShardState();
      this.shards.set(shardId, s);
    }
    return s;
  }

  private readCheckpoints(): Record<string, string> {
    const file = this.options.checkpointFile;
    if (!file) return {};
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = JSON.parse(text) as Partial<CheckpointFile>;
      if (parsed.streamName !== this.options.streamName || typeof parsed.shards !== 'object' || !parsed.shards)
        return {};
      const shards: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed.shards)) if (typeof v === 'string') shards[k] = v;
      return shards;
    } catch {
      this.log(`ignoring unreadable checkpoint file ${file}; reading the stream from the start`);
      return {};
    }
  }

  /** Checkpoints are a restart optimisation, so they are written at most every 500 ms, and at stop. */
  private scheduleCheckpointWrite(): void {
    if (!this.options.checkpointFile || this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      this.writeCheckpoints();
    }, 500);
  }

  private writeCheckpoints(): void {
    const file = this.options.checkpointFile;
    if (!file) return;
    const shards: Record<string, string> = {};
    for (const [id, s] of this.shards) if (s.checkpoint) shards[id] = s.checkpoint;
    const body: CheckpointFile = { streamName: this.options.streamName, shards, updatedAt: new Date().toISOString() };
    try {
      mkdirSync(dirname(file), { recursive: true });
      // Write then rename, so a crash mid-write never leaves a torn file behind.
      writeFileSync(`${file}.tmp`, JSON.stringify(body, null, 2));
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      this.logRateLimited(`could not save checkpoints to ${file}: ${(e as Error).message}`);
    }
  }

  /** Waits `idleWaitMs`, or less when wake() or stop() comes first. */
  private idle(state: ShardState): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        state.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.idleWaitMs ?? 15);
      this.sleepers.add(done);
      state.wakeUp = done;
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private logRateLimited(message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < 1000) return;
    this.lastErrorLogAt = now;
    this.log(message);
  }
}

function newShardState(): ShardState {
  return { checkpoint: undefined, inFlightSince: undefined, lastLagMs: 0, dirty: false, wakeUp: undefined };
}

function arrivalMs(r: _Record | undefined): number {
  return r?.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
}

/**
 * Index of the record to retry from, or undefined when the batch succeeded. As Lambda does: the lowest failed
 * sequence number wins, and an empty or unknown itemIdentifier fails the whole batch.
 */
function firstFailedIndex(records: _Record[], response: KinesisStreamBatchResponse | undefined): number | undefined {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  let lowest = Number.POSITIVE_INFINITY;
  for (const f of failures) {
    const index = f.itemIdentifier ? records.findIndex((r) => r.SequenceNumber === f.itemIdentifier) : -1;
    if (index < 0) return 0;
    lowest = Math.min(lowest, index);
  }
  return lowest;
}
