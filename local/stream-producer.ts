import { PutRecordsCommand, type PutRecordsCommandOutput, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

/**
 * The local half of "topic rule → Kinesis": buffers the records the broker hands over and writes them to the
 * stream with PutRecords. In the cloud IoT Core does this; here it decides two things the latency budget and the
 * data rules depend on:
 * - batching: records arriving within `lingerMs` travel in one request (≤ 500 records, ≤ 5 MiB);
 * - per-partition-key order: PutRecords does not guarantee order (a failed entry does not stop the entries after
 *   it), so a key has at most one record in flight at a time. A failed entry stays at the head of its key's queue
 *   and is retried before anything later of that key is sent. Different keys still share one request.
 * Nothing is dropped silently: failed entries are retried until stop(), and whatever is still buffered when the
 * drain deadline passes is handed to `onUndeliverable` and counted.
 */

/** Kinesis service limits (PutRecords). */
const MAX_RECORDS_PER_REQUEST = 500;
const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_PARTITION_KEY_CHARS = 256;

export class RecordTooLargeError extends Error {
  readonly code = 'RECORD_TOO_LARGE';
}

export class ProducerStoppedError extends Error {
  readonly code = 'PRODUCER_STOPPED';
}

/** The one call the producer makes; a `KinesisClient` is one (tests wrap it to inject partial failures). */
export interface PutRecordsClient {
  send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput>;
}

export interface StreamProducerOptions {
  client: PutRecordsClient;
  streamName: string;
  /** How long a record may wait for others to share its request. @default 2 */
  lingerMs?: number;
  /** Concurrent PutRecords requests (keys in flight are never shared between them). @default 4 */
  maxConcurrentRequests?: number;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. @default 20 */
  retryDelayMs?: number;
  /** @default 2000 */
  maxRetryDelayMs?: number;
  log?: (message: string) => void;
  /**
   * Called with the shards a request wrote to. Locally the poller sleeps until told, instead of polling an idle
   * stream: lower latency, and no CPU spent on empty GetRecords in the process that also runs the emulators.
   */
  onWritten?: (shardIds: ReadonlySet<string>) => void;
  /** Records still buffered when stop()'s drain deadline passes. @default logs them */
  onUndeliverable?: (records: UndeliverableRecord[]) => void;
}

export interface UndeliverableRecord {
  partitionKey: string;
  data: Uint8Array;
  attempts: number;
  enqueuedAt: number;
}

export interface StreamProducerStats {
  /** Records accepted by put(). */
  in: number;
  /** Records Kinesis acknowledged. */
  sent: number;
  /** Entry attempts that failed (partial failures and failed requests), each retried. */
  failed: number;
  /** Records buffered or in flight right now. */
  pending: number;
  /** Records given up at stop() (never silently). */
  undeliverable: number;
}

interface Entry {
  partitionKey: string;
  data: Uint8Array;
  attempts: number;
  enqueuedAt: number;
  notBefore: number;
}

export class StreamProducer {
  private readonly queues = new Map<string, Entry[]>();
  private readonly inFlightKeys = new Set<string>();
  private readonly requests = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopping = false;
  private lastErrorLogAt = 0;
  private readonly counts = { in: 0, sent: 0, failed: 0, pending: 0, undeliverable: 0 };
  private readonly lingerMs: number;
  private readonly maxConcurrent: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: StreamProducerOptions) {
    this.lingerMs = options.lingerMs ?? 2;
    this.maxConcurrent = options.maxConcurrentRequests ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 20;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 2000;
    this.log = options.log ?? (() => {});
  }

  /**
   * Buffers one record. Throws (synchronously, so the caller can refuse the publish) when the record can never be
   * written: too large for Kinesis, or the producer is stopping.
   */
  put(partitionKey: string, data: Uint8Array): void {
    if (this.stopping) throw new ProducerStoppedError('stream producer is stopping');
    if (data.byteLength > MAX_RECORD_BYTES || partitionKey.length === 0) {
      throw new RecordTooLargeError(`record of ${data.byteLength} bytes does not fit a Kinesis record (1 MiB)`);
    }
    if (partitionKey.length > MAX_PARTITION_KEY_CHARS) {
      throw new RecordTooLargeError(`partition key longer than ${MAX_PARTITION_KEY_CHARS} characters`);
    }
    const now = Date.now();
    let queue = this.queues.get(partitionKey);
    if (!queue) {
      queue = [];
      this.queues.set(partitionKey, queue);
    }
    queue.push({ partitionKey, data, attempts: 0, enqueuedAt: now, notBefore: 0 });
    this.counts.in++;
    this.counts.pending++;
    this.schedule(this.lingerMs);
  }

  stats(): StreamProducerStats {
    return { ...this.counts };
  }

  /** Resolves when everything buffered so far has been written (or `timeoutMs` passed; then returns false). */
  async flush(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.counts.pending > 0 && Date.now() < deadline) {
      this.schedule(0);
      if (this.requests.size > 0) await Promise.race([...this.requests, sleep(5)]);
      else await sleep(Math.min(5, Math.max(0, this.timerAt - Date.now())));
    }
    return this.counts.pending === 0;
  }

  /** Stops accepting records, drains what is buffered, reports what could not be written. */
  async stop(drainTimeoutMs = 2000): Promise<void> {
    this.stopping = true;
    const drained = await this.flush(drainTimeoutMs);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A request still running past the deadline may yet succeed; wait for it so its records are counted once.
    await Promise.allSettled([...this.requests]);
    if (drained || this.counts.pending === 0) return;
    const left: UndeliverableRecord[] = [];
    for (const queue of this.queues.values()) {
      for (const e of queue)
        left.push({ partitionKey: e.partitionKey, data: e.data, attempts: e.attempts, enqueuedAt: e.enqueuedAt });
    }
    this.queues.clear();
    this.counts.pending = 0;
    this.counts.undeliverable += left.length;
    if (this.options.onUndeliverable) this.options.onUndeliverable(left);
    else this.log(`gave up on ${left.length} record(s) still buffered at shutdown`);
  }

  private schedule(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, delayMs);
  }

  /** Starts as many requests as the concurrency limit and the sendable heads of the key queues allow. */
  private pump(): void {
    let nextRetryAt = Number.POSITIVE_INFINITY;
    while (this.requests.size < this.maxConcurrent) {
      const now = Date.now();
      const batch: Entry[] = [];
      let bytes = 0;
      for (const [key, queue] of this.queues) {
        const head = queue[0];
        if (!head || this.inFlightKeys.has(key)) continue;
        if (head.notBefore > now) {
          nextRetryAt = Math.min(nextRetryAt, head.notBefore);
          continue;
        }
        const size = head.data.byteLength + key.length;
        if (batch.length >= MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST) break;
        batch.push(head);
        bytes += size;
        this.inFlightKeys.add(key);
      }
      if (batch.length === 0) break;
      const request = this.send(batch).finally(() => {
        this.requests.delete(request);
        // Whatever waited for these keys (or for a free request slot) can go now.
        if (this.counts.pending > 0) this.schedule(0);
      });
      this.requests.add(request);
    }
    if (nextRetryAt !== Number.POSITIVE_INFINITY) this.schedule(Math.max(0, nextRetryAt - Date.now()));
  }

  private async send(batch: Entry[]): Promise<void> {
    const records: PutRecordsRequestEntry[] = batch.map((e) => ({ PartitionKey: e.partitionKey, Data: e.data }));
    try {
      const res = await this.options.client.send(
        new PutRecordsCommand({ StreamName: this.options.streamName, Records: records }),
      );
      const results = res.Records ?? [];
      const shards = new Set<string>();
      batch.forEach((entry, i) => {
        const r = results[i];
        if (r?.SequenceNumber && !r.ErrorCode) {
          this.succeeded(entry);
          if (r.ShardId) shards.add(r.ShardId);
        } else this.failedAttempt(entry, r?.ErrorCode ?? 'MissingResult');
      });
      if (shards.size > 0) this.options.onWritten?.(shards);
    } catch (e) {
      for (const entry of batch) this.failedAttempt(entry, 'RequestFailed');
      this.logRateLimited(`PutRecords of ${batch.length} record(s) failed, retrying: ${(e as Error).message}`);
    } finally {
      for (const entry of batch) this.inFlightKeys.delete(entry.partitionKey);
    }
  }

  private succeeded(entry: Entry): void {
    const queue = this.queues.get(entry.partitionKey);
    queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(entry.partitionKey);
    this.counts.sent++;
    this.counts.pending--;
  }

  /** The entry stays at the head of its key's queue, so nothing later of that key overtakes it. */
  private failedAttempt(entry: Entry, reason: string): void {
    entry.attempts++;
    entry.notBefore = Date.now() + Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (entry.attempts - 1));
    this.counts.failed++;
    if (reason !== 'RequestFailed')
      this.logRateLimited(`record for ${entry.partitionKey} failed (${reason}), retrying`);
  }

  /** A stream that is down fails every request; one line a second says so without flooding the console. */
  private logRateLimited(message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLogAt < 1000) return;
    this.lastErrorLogAt = now;
    this.log(message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
