import { factIdOf, hourOf, type PerformanceFact, slotOf } from '../../shared/domain/performance/facts';
import type {
  DirtyHour,
  PerformanceSnapshot,
  PerformanceStore,
  StoredHour,
  VersionedState,
} from '../../shared/ports/performance-store';

/** The performance store in memory, with the DynamoDB adapter's semantics (idempotent facts, versioned state). */
export class InMemoryPerformanceStore implements PerformanceStore {
  readonly facts = new Map<string, Map<string, PerformanceFact>>();
  readonly bucketsByPort = new Map<string, Map<string, StoredHour>>();
  readonly slots = new Map<string, StoredHour>();
  readonly states = new Map<string, VersionedState<unknown>>();
  readonly dirty = new Map<string, DirtyHour>();
  readonly snapshots: PerformanceSnapshot[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  async record(facts: readonly PerformanceFact[]): Promise<void> {
    const settled = hourOf(new Date(this.now()).toISOString());
    for (const f of facts) {
      const key = `${f.port} ${hourOf(f.at)}`;
      const hour = this.facts.get(key) ?? new Map<string, PerformanceFact>();
      hour.set(factIdOf(f), structuredClone(f));
      this.facts.set(key, hour);
      if (hourOf(f.at) < settled) {
        const d = this.dirty.get(key);
        this.dirty.set(key, { hour: hourOf(f.at), marks: (d?.marks ?? 0) + 1 });
      }
    }
  }

  async dirtyHours(port: string): Promise<DirtyHour[]> {
    return [...this.dirty].filter(([k]) => k.startsWith(`${port} `)).map(([, d]) => ({ ...d }));
  }

  async clearDirty(port: string, d: DirtyHour): Promise<void> {
    const key = `${port} ${d.hour}`;
    if (this.dirty.get(key)?.marks === d.marks) this.dirty.delete(key);
  }

  async factsOf(port: string, hour: string, slot?: string): Promise<PerformanceFact[]> {
    return [...(this.facts.get(`${port} ${hour}`)?.values() ?? [])]
      .filter((f) => slot === undefined || slotOf(f.at) === slot)
      .map((f) => structuredClone(f));
  }

  async slotBuckets(port: string, hour: string): Promise<StoredHour[]> {
    return [...this.slots]
      .filter(([k]) => k.startsWith(`${port} ${hour}:`))
      .map(([, b]) => structuredClone(b))
      .sort((a, b) => a.hour.localeCompare(b.hour));
  }

  async putSlotBucket(port: string, slot: StoredHour): Promise<void> {
    this.slots.set(`${port} ${slot.hour}`, structuredClone(slot));
  }

  async buckets(port: string, fromHour: string, toHour: string): Promise<StoredHour[]> {
    return [...(this.bucketsByPort.get(port)?.values() ?? [])]
      .filter((b) => b.hour >= fromHour && b.hour < toHour)
      .sort((a, b) => a.hour.localeCompare(b.hour))
      .map((b) => structuredClone(b));
  }

  async putBucket(port: string, hour: StoredHour): Promise<void> {
    const m = this.bucketsByPort.get(port) ?? new Map<string, StoredHour>();
    m.set(hour.hour, structuredClone(hour));
    this.bucketsByPort.set(port, m);
  }

  async getState<T>(port: string, key: string): Promise<VersionedState<T> | undefined> {
    const s = this.states.get(`${port} ${key}`);
    return s ? (structuredClone(s) as VersionedState<T>) : undefined;
  }

  async putState<T>(port: string, key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    const k = `${port} ${key}`;
    if (this.states.get(k)?.version !== expectedVersion) return false;
    this.states.set(k, { key, value: structuredClone(value), version: (expectedVersion ?? 0) + 1 });
    return true;
  }

  async clearOutbox(port: string, key: string, version: number): Promise<void> {
    const s = this.states.get(`${port} ${key}`);
    if (s?.version !== version) return;
    const { outbox: _sent, ...rest } = s.value as { outbox?: unknown };
    this.states.set(`${port} ${key}`, { ...s, value: rest });
  }

  async listStates<T>(port: string, prefix: string): Promise<VersionedState<T>[]> {
    return [...this.states]
      .filter(([k]) => k.startsWith(`${port} ${prefix}`))
      .map(([, s]) => structuredClone(s) as VersionedState<T>);
  }

  async putSnapshot(s: PerformanceSnapshot): Promise<void> {
    this.snapshots.push(structuredClone(s));
  }
}
