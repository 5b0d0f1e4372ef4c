import type { StoredBucket } from '../domain/performance/bucket';
import type { PerformanceFact } from '../domain/performance/facts';

/**
 * Where the platform's decision points hand over performance facts (a declaration assessed, released; an incident
 * acknowledged). Recording the same fact twice stores it once (the fact id is deterministic), so a retried
 * request or stream record does no harm.
 */
export interface PerformanceRecorder {
  record(facts: readonly PerformanceFact[]): Promise<void>;
}

/** One hour folded into a bucket, as stored. */
export interface StoredHour {
  hour: string;
  bucket: StoredBucket;
  /** How many facts it was built from. */
  facts: number;
  builtAt: string;
}

/** A per-entity state machine's state (a vessel's open call, a crane's condition) with its optimistic version. */
export interface VersionedState<T> {
  key: string;
  value: T;
  version: number;
}

/** An hour that received facts after it closed, to be folded again; `marks` only grows. */
export interface DirtyHour {
  hour: string;
  marks: number;
}

/** A stored evaluation of one period. */
export interface PerformanceSnapshot {
  port: string;
  granularity: 'hourly' | 'daily';
  from: string;
  to: string;
  evaluation: unknown;
}

/**
 * Storage of the performance evaluation: an append-only fact log per port-hour (the exactly-once part), hour
 * buckets folded from it, the state machines' per-entity state, and snapshots.
 */
export interface PerformanceStore extends PerformanceRecorder {
  /**
   * `record` marks an hour dirty when it gets a fact after the hour has closed (a message at the turn of the hour, a
   * late device message, a vessel call closed a day after its departure): the schedule folds such hours again.
   */
  dirtyHours(port: string): Promise<DirtyHour[]>;
  /** Clears the mark if no fact came since it was read (its `marks` unchanged). */
  clearDirty(port: string, hour: DirtyHour): Promise<void>;
  /** The facts of one port-hour, or of one of its five-minute slots (`slotOf`). */
  factsOf(port: string, hour: string, slot?: string): Promise<PerformanceFact[]>;
  /** The slot buckets of an hour (folded five-minute slots of the open hour; `hour` holds the slot key). */
  slotBuckets(port: string, hour: string): Promise<StoredHour[]>;
  putSlotBucket(port: string, slot: StoredHour): Promise<void>;
  /** The stored buckets of hours in [fromHour, toHour). */
  buckets(port: string, fromHour: string, toHour: string): Promise<StoredHour[]>;
  putBucket(port: string, hour: StoredHour): Promise<void>;
  getState<T>(port: string, key: string): Promise<VersionedState<T> | undefined>;
  /** Writes `value` if the stored version is still `expectedVersion` (undefined: absent); false on a lost race. */
  putState<T>(port: string, key: string, value: T, expectedVersion: number | undefined): Promise<boolean>;
  listStates<T>(port: string, prefix: string): Promise<VersionedState<T>[]>;
  /** Drops the `outbox` of a state (its facts are recorded) if it is still at `version`; the version stays. */
  clearOutbox(port: string, key: string, version: number): Promise<void>;
  putSnapshot(snapshot: PerformanceSnapshot): Promise<void>;
}
