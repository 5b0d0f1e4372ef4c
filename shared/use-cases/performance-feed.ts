import { KouanError } from '../domain/errors';
import { type DeviceFacts, deviceFactsOf } from '../domain/performance/device-facts';
import {
  DEFAULT_AVAILABILITY_RULE,
  type EquipmentState,
  stepEquipment,
} from '../domain/performance/equipment-availability';
import type { PerformanceFact } from '../domain/performance/facts';
import { type GateVisitState, stepGate } from '../domain/performance/gate-visits';
import type { PortArea } from '../domain/performance/port-areas';
import { stepVessel, type VesselCallState } from '../domain/performance/vessel-calls';
import type { PerformanceSink } from '../ports/performance-sink';
import type { PerformanceStore } from '../ports/performance-store';

export interface PerformanceFeedDependencies {
  store: PerformanceStore;
  /** Port polygons and berths by port (PORT_AREAS); a port without one has no vessel calls. */
  areas: Readonly<Record<string, PortArea>>;
  /** @default a StateCache of this feed (one per process) */
  cache?: StateCache;
}

/** A state that only moved its "last seen" is stored at most this often (fewer writes; see docs/performance.md). */
const STATE_WRITE_INTERVAL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 4;

export class PerformanceStateConflictError extends KouanError {
  constructor(key: string) {
    super('PERFORMANCE_STATE_CONFLICT', `state ${key} changed under every one of ${MAX_ATTEMPTS} attempts`);
  }
}

interface Step<S> {
  state: S;
  facts: PerformanceFact[];
  transition: boolean;
}

/**
 * What a state machine stores per entity: its state, and the facts its last step produced (an outbox). The state is
 * written first, conditional on its version, with the facts in it; the facts are recorded after. So a step that lost a
 * race (two receivers hearing one ship, a stale cache) records nothing, and facts whose recording a crash cut off are
 * recorded by whoever reads the state next (the entity's next input, or the schedule's sweep).
 */
export interface MachineRecord<S> {
  state: S;
  outbox?: PerformanceFact[];
}

/** A state as last read or written by this process: `version` and `storedAt` are what the table holds. */
interface CachedState {
  value: unknown;
  version: number | undefined;
  /** `lastAt` of the stored version (a state that only moved its "last seen" is not stored every time). */
  storedAt: string | undefined;
  cachedAtMs: number;
}

/**
 * States this process has read or written, so that a crane reporting every second costs no read per report. A
 * cached state is a hint, never trusted for writes: every write is conditional on its version, and a lost race
 * reads afresh. Entries expire after `ttlMs` (another process may have taken over the entity's shard).
 */
export class StateCache {
  private readonly entries = new Map<string, CachedState>();

  constructor(
    private readonly maxEntries = 20_000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedState | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.cachedAtMs > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, e: Omit<CachedState, 'cachedAtMs'>): void {
    this.entries.delete(key);
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { ...e, cachedAtMs: this.now() });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Advances one entity's state machine with an input: step the state (pure); store the new state on its version with
 * the step's facts in its outbox; then record the facts. A lost race reads afresh and steps again; nothing was
 * recorded for the losing step. A state that only moved its "last seen" is stored at most every
 * STATE_WRITE_INTERVAL_MS (a crash loses at most that much "last seen", never a fact).
 */
export async function advanceState<S>(
  store: PerformanceStore,
  port: string,
  key: string,
  step: (previous: S | undefined) => Step<S>,
  lastAtOf: (s: S) => string | undefined,
  cache: StateCache = new StateCache(0),
  /**
   * The entity is usually new (a truck plate at the gate): when it is not cached, write its first state without
   * reading (a write conditional on there being none); only if one exists, read it and step again. Saves the read
   * for every new entity and costs one failed write for an old one the cache forgot.
   */
  assumeNew = false,
): Promise<void> {
  const cacheKey = `${port} ${key}`;
  let current = cache.get(cacheKey);
  if (!current && assumeNew) current = { value: undefined, version: undefined, storedAt: undefined, cachedAtMs: 0 };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!current) {
      const stored = await store.getState<MachineRecord<S>>(port, key);
      // Facts a crash kept from being recorded after their state was stored: record them now (same ids).
      if (stored?.value.outbox?.length) {
        await store.record(stored.value.outbox);
        await store.clearOutbox(port, key, stored.version);
      }
      current = {
        value: stored?.value.state,
        version: stored?.version,
        storedAt: stored ? lastAtOf(stored.value.state) : undefined,
        cachedAtMs: 0,
      };
    }
    const next = step(current.value as S | undefined);
    const nextAt = lastAtOf(next.state);
    const moved =
      nextAt !== undefined &&
      (current.storedAt === undefined || Date.parse(nextAt) - Date.parse(current.storedAt) >= STATE_WRITE_INTERVAL_MS);
    if (!next.transition && !moved && next.facts.length === 0) {
      cache.set(cacheKey, { value: next.state, version: current.version, storedAt: current.storedAt });
      return;
    }
    const record: MachineRecord<S> = { state: next.state, ...(next.facts.length > 0 ? { outbox: next.facts } : {}) };
    if (await store.putState(port, key, record, current.version)) {
      const version = (current.version ?? 0) + 1;
      // The outbox stays in the stored state until the entity's next write replaces it: a reader that finds it
      // records the same fact ids again, which changes nothing (one request less per transition than clearing it).
      if (next.facts.length > 0) await store.record(next.facts);
      cache.set(cacheKey, { value: next.state, version, storedAt: nextAt });
      return;
    }
    cache.forget(cacheKey);
    current = undefined;
  }
  throw new PerformanceStateConflictError(key);
}

/** The ingest hook: device messages → facts, gate visits, vessel calls and equipment intervals. */
export function performanceFeed(deps: PerformanceFeedDependencies): PerformanceSink {
  const { store } = deps;
  const cache = deps.cache ?? new StateCache();
  const observe = async (
    plan: Parameters<PerformanceSink['observe']>[0],
    record: (f: PerformanceFact[]) => Promise<void>,
  ) => {
    const port = plan.source.port;
    const facts: DeviceFacts = deviceFactsOf(plan, deps.areas[port]);
    if (facts.facts.length > 0) await record(facts.facts);
    const area = deps.areas[port];
    const updates: [key: string, run: () => Promise<void>][] = [
      ...facts.gate.map((tx): [string, () => Promise<void>] => {
        const key = `gate#${tx.plate}`;
        return [
          key,
          () =>
            advanceState<GateVisitState>(
              store,
              port,
              key,
              (s) => {
                const r = stepGate(s, tx);
                return { state: r.state, facts: r.visits, transition: r.transition };
              },
              (s) => s.lastOutAt ?? s.lastInAt,
              cache,
              true,
            ),
        ];
      }),
      ...(area ? facts.positions : []).map((p): [string, () => Promise<void>] => {
        const key = `vessel#${p.mmsi}`;
        return [
          key,
          () =>
            advanceState<VesselCallState>(
              store,
              port,
              key,
              (s) => {
                const r = stepVessel(s, area as PortArea, p);
                return { state: r.state, facts: r.calls, transition: r.transition };
              },
              (s) => s.call?.lastAt,
              cache,
            ),
        ];
      }),
      ...facts.equipment.map((r): [string, () => Promise<void>] => {
        const key = `equipment#${r.equipmentId}`;
        return [
          key,
          () =>
            advanceState<EquipmentState>(
              store,
              port,
              key,
              (s) => {
                const step = stepEquipment(s, r, DEFAULT_AVAILABILITY_RULE);
                return { state: step.state, facts: step.intervals, transition: step.transition };
              },
              (s) => s.lastAt,
              cache,
            ),
        ];
      }),
    ];
    // Different entities concurrently; one entity's inputs in message order.
    const byKey = new Map<string, (() => Promise<void>)[]>();
    for (const [key, run] of updates) byKey.set(key, [...(byKey.get(key) ?? []), run]);
    await Promise.all(
      [...byKey.values()].map(async (runs) => {
        for (const run of runs) await run();
      }),
    );
  };
  return {
    observe: (plan) => observe(plan, (f) => store.record(f)),
    batch: () => {
      // The device facts wait for the batch's flush, which runs before the batch's message-log entries: a crash in
      // between re-applies the records and writes the same fact ids again. State machine steps stay immediate (they
      // write on transitions only, conditionally, and their facts go through their outbox).
      const pending: PerformanceFact[] = [];
      return {
        observe: (plan) =>
          observe(plan, async (f) => {
            pending.push(...f);
          }),
        flush: async () => {
          if (pending.length > 0) await store.record(pending.splice(0));
        },
      };
    },
  };
}
