import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  factIdOf,
  HOUR_MS,
  hourOf,
  hourStartMs,
  type PerformanceFact,
  slotOf,
  slotStartMs,
} from '../../domain/performance/facts';
import type {
  DirtyHour,
  PerformanceSnapshot,
  PerformanceStore,
  StoredHour,
  VersionedState,
} from '../../ports/performance-store';
import { inChunks } from './batch-requests';
import { isConditionalCheckFailed } from './document-client';
import { keys } from './keys';

export interface DynamoPerformanceStoreOptions {
  tableName: string;
  /** How long raw facts are kept after their hour (buckets are kept for good). @default 35 */
  factRetentionDays?: number;
  /** Epoch ms, to tell late facts. @default Date.now */
  now?: () => number;
}

/**
 * The performance store on the port table. Facts are written with BatchWriteItem and no condition: a fact's item
 * key is its deterministic id and its content is a function of the same input, so writing it again (a stream
 * retry, a replayed decision) overwrites it with itself — exactly-once without a read. Buckets are whole items
 * written by the hourly fold; state items are guarded by a version (single-item conditional writes only).
 */
/** A stored hour or slot bucket as read back. */
const storedHourOf = (i: Record<string, unknown>): StoredHour => ({
  hour: String(i.sk),
  bucket: i.b as StoredHour['bucket'],
  facts: Number(i.facts ?? 0),
  builtAt: String(i.builtAt),
});

export class DynamoPerformanceStore implements PerformanceStore {
  private readonly table: string;
  private readonly retentionS: number;
  private readonly now: () => number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    options: DynamoPerformanceStoreOptions,
  ) {
    this.table = options.tableName;
    this.retentionS = (options.factRetentionDays ?? 35) * 86_400;
    this.now = options.now ?? Date.now;
  }

  async record(facts: readonly PerformanceFact[]): Promise<void> {
    // One write per fact id, even when a batch carries a fact twice (BatchWriteItem refuses duplicate keys).
    const unique = new Map(facts.map((f) => [factIdOf(f), f]));
    const puts = [...unique].map(([id, f]) => ({
      PutRequest: {
        Item: {
          ...keys.perfFact(f.port, hourOf(f.at), slotOf(f.at).slice(14), id),
          f,
          expiresAt: Math.floor(Date.parse(f.at) / 1000) + this.retentionS,
        },
      },
    }));
    await inChunks('performance facts', puts, 25, async (chunk) => {
      const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: chunk } }));
      return (res.UnprocessedItems?.[this.table] ?? []) as typeof chunk;
    });
    // After the facts: a mark without its fact would only cost a needless fold; a fact without its mark, a stale hour.
    const settled = hourOf(new Date(this.now()).toISOString());
    const late = new Set(
      [...unique.values()].filter((f) => hourOf(f.at) < settled).map((f) => `${f.port} ${hourOf(f.at)}`),
    );
    await Promise.all(
      [...late].map((ph) => {
        const [port = '', hour = ''] = ph.split(' ');
        return this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.perfDirty(port, hour),
            UpdateExpression: 'ADD marks :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }),
    );
  }

  async dirtyHours(port: string): Promise<DirtyHour[]> {
    const items = await this.queryAll(keys.perfDirtyHours(port));
    return items.map((i) => ({ hour: String(i.sk), marks: Number(i.marks ?? 0) }));
  }

  async clearDirty(port: string, d: DirtyHour): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.perfDirty(port, d.hour),
          ConditionExpression: 'marks = :m',
          ExpressionAttributeValues: { ':m': d.marks },
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  async factsOf(port: string, hour: string, slot?: string): Promise<PerformanceFact[]> {
    const items = await this.queryAll(
      keys.perfFacts(port, hour),
      slot === undefined ? undefined : { prefix: `${slot.slice(14)}#` },
    );
    return items.map((i) => i.f as PerformanceFact);
  }

  async slotBuckets(port: string, hour: string): Promise<StoredHour[]> {
    const items = await this.queryAll(keys.perfSlots(port), { prefix: `${hour}:` });
    return items.map(storedHourOf);
  }

  async putSlotBucket(port: string, slot: StoredHour): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        // Slot buckets matter only until their hour is folded.
        Item: {
          ...keys.perfSlot(port, slot.hour),
          b: slot.bucket,
          facts: slot.facts,
          builtAt: slot.builtAt,
          expiresAt: Math.floor(slotStartMs(slot.hour) / 1000) + 2 * 86_400,
        },
      }),
    );
  }

  async buckets(port: string, fromHour: string, toHour: string): Promise<StoredHour[]> {
    if (fromHour >= toHour) return [];
    const items = await this.queryAll(keys.perfBuckets(port), { from: fromHour, to: toHour });
    return items.map(storedHourOf);
  }

  async putBucket(port: string, hour: StoredHour): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.perfBucket(port, hour.hour), b: hour.bucket, facts: hour.facts, builtAt: hour.builtAt },
      }),
    );
  }

  async getState<T>(port: string, key: string): Promise<VersionedState<T> | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.perfState(port, key), ConsistentRead: true }),
    );
    return res.Item ? { key, value: res.Item.v as T, version: Number(res.Item.version) } : undefined;
  }

  async putState<T>(port: string, key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.perfState(port, key), v: value, version: (expectedVersion ?? 0) + 1 },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async clearOutbox(port: string, key: string, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.perfState(port, key),
          UpdateExpression: 'REMOVE v.outbox',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
    } catch (e) {
      // A newer version replaced the record (and its outbox) already.
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  async listStates<T>(port: string, prefix: string): Promise<VersionedState<T>[]> {
    const items = await this.queryAll(keys.perfStates(port), { prefix });
    return items.map((i) => ({ key: String(i.sk), value: i.v as T, version: Number(i.version) }));
  }

  async putSnapshot(s: PerformanceSnapshot): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.perfSnapshot(s.port, s.granularity, s.from), ...s },
      }),
    );
  }

  private async queryAll(
    pk: string,
    range?: { from: string; to: string } | { prefix: string },
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    const condition =
      range === undefined
        ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }
        : 'prefix' in range
          ? {
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
              ExpressionAttributeValues: { ':pk': pk, ':p': range.prefix },
            }
          : {
              // [from, to) as BETWEEN from AND the hour before to (one sort-key condition per query).
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :last',
              ExpressionAttributeValues: {
                ':pk': pk,
                ':from': range.from,
                ':last': new Date(hourStartMs(range.to) - HOUR_MS).toISOString().slice(0, 13),
              },
            };
    do {
      const res = await this.db.send(
        new QueryCommand({ TableName: this.table, ...condition, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      out.push(...((res.Items ?? []) as Record<string, unknown>[]));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
