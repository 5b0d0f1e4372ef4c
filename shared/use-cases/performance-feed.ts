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
 * Advances one entity's state machine with an input: read the state, step it (pure), record the facts it produced,
 * then store the state on its version. Facts first: a crash between the two re-runs the same step on the same state
 * and records the same fact ids again (harmless). A lost race (two receivers hearing one ship) re-reads and re-steps.
 */
export async function advanceState<S>(
  store: PerformanceStore,
  port: string,
  key: string,
  step: (previous: S | undefined) => Step<S>,
  lastAtOf: (s: S) => string | undefined,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.getState<S>(port, key);
    const next = step(current?.value);
    if (next.facts.length > 0) await store.record(next.facts);
    const previousAt = current ? lastAtOf(current.value) : undefined;
    const nextAt = lastAtOf(next.state);
    const moved =
      nextAt !== undefined &&
      (previousAt === undefined || Date.parse(nextAt) - Date.parse(previousAt) >= STATE_WRITE_INTERVAL_MS);
    if (!next.transition && !moved) return;
    if (await store.putState(port, key, next.state, current?.version)) return;
  }
  throw new PerformanceStateConflictError(key);
}

/** The ingest hook: device messages → facts, gate visits, vessel calls and equipment intervals. */
export function performanceFeed(deps: PerformanceFeedDependencies): PerformanceSink {
  const { store } = deps;
  return {
    async observe(plan) {
      const port = plan.source.port;
      const facts: DeviceFacts = deviceFactsOf(plan, deps.areas[port]);
      if (facts.facts.length > 0) await store.record(facts.facts);
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
    },
  };
}
