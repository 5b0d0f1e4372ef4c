import type { KpiReport, PerformanceQuery, PortPerformance, PortRanking } from '../../events/v1/performance';
import { KouanError } from '../domain/errors';
import { findBottlenecks } from '../domain/performance/bottlenecks';
import { aggregate, type Bucket, bucketOf, StoredBucketSum, serialiseBucket } from '../domain/performance/bucket';
import {
  DEFAULT_EVALUATION_MODEL,
  type EvaluationModel,
  evaluate,
  rankPorts,
  trendOf,
} from '../domain/performance/evaluation';
import {
  HOUR_MS,
  hourStartMs,
  hoursOf,
  type PerformanceFact,
  SLOT_MS,
  slotStartMs,
  slotsOf,
} from '../domain/performance/facts';
import { computeKpis } from '../domain/performance/kpis';
import { closeIfIdle, type VesselCallState } from '../domain/performance/vessel-calls';
import type { PerformanceStore } from '../ports/performance-store';
import type { MachineRecord } from './performance-feed';
import { NotFoundError } from './port-queries';

export interface PerformanceDependencies {
  store: PerformanceStore;
  /** The ports this deployment evaluates; any other is a 404. */
  ports: readonly string[];
  /** @default DEFAULT_EVALUATION_MODEL */
  model?: EvaluationModel;
  /** Epoch ms. @default Date.now */
  now?: () => number;
  /**
   * Hours without a stored bucket (the open hour, hours the schedule has not folded yet) are folded from their facts
   * on the fly, newest first, up to this many; older ones count as `unfoldedHours` in the coverage. @default 48
   */
  maxLiveHours?: number;
}

export interface Coverage {
  hours: number;
  /** Hours read from their stored bucket. */
  buckets: number;
  /** Hours not folded yet (the open hour…), read from their folded slots and their slots' facts. */
  liveHours: number;
  /** Five-minute slots of those hours read from their facts (the current one, and any the schedule has not folded). */
  liveSlots: number;
  /** Hours neither folded nor read (beyond the live limit). */
  unfoldedHours: number;
}

const hourKey = (ms: number) => new Date(ms).toISOString().slice(0, 13);
const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/** The period of a query in whole hours: from down, to up; default the 24 h up to the end of the current hour. */
export function periodOf(q: PerformanceQuery, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = ceilHour(q.to ? Date.parse(q.to) : nowMs + 1);
  const fromMs = floorHour(q.from ? Date.parse(q.from) : toMs - 24 * HOUR_MS);
  return { fromMs, toMs };
}

async function inBatches<T, R>(items: readonly T[], size: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return out;
}

/**
 * The bucket of a period: the merge of its hours' stored buckets, plus the hours not folded yet computed from their
 * facts (at most `maxLiveHours`). Never a rescan of the period's raw events.
 */
export async function periodBucket(
  deps: PerformanceDependencies,
  port: string,
  fromMs: number,
  toMs: number,
): Promise<{ bucket: Bucket; coverage: Coverage }> {
  const nowMs = (deps.now ?? Date.now)();
  const hours = hoursOf(fromMs, toMs);
  const stored = await deps.store.buckets(port, hourKey(fromMs), hourKey(toMs));
  const sum = new StoredBucketSum();
  const have = new Set<string>();
  for (const s of stored) {
    sum.add(s.bucket);
    have.add(s.hour);
  }
  const missing = hours.filter((h) => !have.has(h) && hourStartMs(h) <= nowMs);
  const live = missing.slice(-(deps.maxLiveHours ?? 48));
  // An hour not folded yet: its folded slots, and the facts of the slots not folded (normally the current one).
  const liveParts = await inBatches(live, 8, async (h) => {
    const slots = await deps.store.slotBuckets(port, h);
    const folded = new Set(slots.map((s) => s.hour));
    const pending = slotsOf(h).filter((s) => !folded.has(s) && slotStartMs(s) <= nowMs);
    // No slot folded at all (an hour the schedule never reached): one query for the whole hour.
    const facts =
      slots.length === 0
        ? await deps.store.factsOf(port, h)
        : (await Promise.all(pending.map((s) => deps.store.factsOf(port, h, s)))).flat();
    return { slots, facts, liveSlots: pending.length };
  });
  for (const part of liveParts) for (const s of part.slots) sum.add(s.bucket);
  const bucket = sum.toBucket();
  for (const part of liveParts) for (const f of part.facts) aggregate(bucket, f);
  return {
    bucket,
    coverage: {
      hours: hours.length,
      buckets: stored.length,
      liveHours: live.length,
      liveSlots: liveParts.reduce((a, p) => a + p.liveSlots, 0),
      unfoldedHours: missing.length - live.length,
    },
  };
}

export class PerformanceNotConfiguredError extends KouanError {
  constructor() {
    super('PERFORMANCE_NOT_CONFIGURED', 'the performance evaluation is not wired into this API');
  }
}

/** The dependencies, or a typed error when the API was built without them. */
export function configured(deps: PerformanceDependencies | undefined): PerformanceDependencies {
  if (!deps) throw new PerformanceNotConfiguredError();
  return deps;
}

function requirePort(deps: PerformanceDependencies, port: string): void {
  if (!deps.ports.includes(port)) throw new NotFoundError('port', port);
}

const periodOut = (fromMs: number, toMs: number) => ({
  from: new Date(fromMs).toISOString(),
  to: new Date(toMs).toISOString(),
  hours: Math.round((toMs - fromMs) / HOUR_MS),
});

/** `GET /v1/ports/{port}/kpis`: every §4 KPI of the period with its n, and the breakdowns. */
export async function getKpis(
  deps: PerformanceDependencies,
  port: string,
  q: PerformanceQuery,
): Promise<KpiReport & { coverage: Coverage }> {
  requirePort(deps, port);
  const { fromMs, toMs } = periodOf(q, (deps.now ?? Date.now)());
  const { bucket, coverage } = await periodBucket(deps, port, fromMs, toMs);
  const period = periodOut(fromMs, toMs);
  return { port, period, ...computeKpis(bucket, period.hours), coverage };
}

/** `GET /v1/ports/{port}/performance`: the eight-dimension evaluation, its trend and the bottlenecks. */
export async function getPerformance(
  deps: PerformanceDependencies,
  port: string,
  q: PerformanceQuery,
): Promise<PortPerformance & { coverage: Coverage }> {
  requirePort(deps, port);
  const nowMs = (deps.now ?? Date.now)();
  const { fromMs, toMs } = periodOf(q, nowMs);
  return evaluatePeriod(deps, port, fromMs, toMs);
}

export async function evaluatePeriod(
  deps: PerformanceDependencies,
  port: string,
  fromMs: number,
  toMs: number,
): Promise<PortPerformance & { coverage: Coverage }> {
  const model = deps.model ?? DEFAULT_EVALUATION_MODEL;
  const length = toMs - fromMs;
  const hours = Math.round(length / HOUR_MS);
  const [current, previous] = await Promise.all([
    periodBucket(deps, port, fromMs, toMs),
    periodBucket(deps, port, fromMs - length, fromMs),
  ]);
  const evaluation = evaluate(computeKpis(current.bucket, hours).items, model);
  const before = evaluate(computeKpis(previous.bucket, hours).items, model);
  return {
    port,
    period: periodOut(fromMs, toMs),
    index: { ...evaluation.index, trend: trendOf(evaluation.index.score, before.index.score, model.flatBand) },
    dimensions: evaluation.dimensions,
    bottlenecks: findBottlenecks(current.bucket),
    computedAt: new Date((deps.now ?? Date.now)()).toISOString(),
    coverage: current.coverage,
  };
}

/**
 * Every evaluated port over the same period, ranked (dynamic classification): each port's index as `/performance`
 * computes it, side by side. Ports without data in the period come last.
 */
export async function rankEvaluatedPorts(deps: PerformanceDependencies, q: PerformanceQuery): Promise<PortRanking> {
  const { fromMs, toMs } = periodOf(q, (deps.now ?? Date.now)());
  const evaluated = await Promise.all(deps.ports.map((port) => evaluatePeriod(deps, port, fromMs, toMs)));
  const ranked = rankPorts(
    evaluated.map((e) => ({ port: e.port, evaluation: { index: { score: e.index.score, grade: e.index.grade } } })),
  );
  const trendOfPort = new Map(evaluated.map((e) => [e.port, e.index.trend]));
  return {
    period: periodOut(fromMs, toMs),
    items: ranked.map((r) => ({
      port: r.port,
      rank: r.rank,
      score: r.score,
      grade: r.grade,
      trend: trendOfPort.get(r.port) ?? { previousScore: null, delta: null, direction: null },
    })),
    computedAt: new Date((deps.now ?? Date.now)()).toISOString(),
  };
}

export interface EvaluationRunOptions {
  /** How far back a run looks for closed hours without a bucket (a schedule that missed runs). @default 6 */
  refoldHours?: number;
  /** Silence that closes a vessel's call. @default PORT_CALL_RULE.splitGapMs (24 h) */
  portCallSplitMs?: number;
}

export interface EvaluationRunReport {
  port: string;
  callsClosed: number;
  hoursFolded: string[];
  slotsFolded: string[];
  snapshots: string[];
}

/**
 * The scheduled evaluation (every five minutes): close vessel calls silent for 24 h; fold closed hours without a
 * bucket and every hour a late fact touched; fold the open hour's closed five-minute slots; write snapshots — the
 * last hour's, and the previous day's in the first hour of a day. Idempotent: running it twice writes the same items.
 */
export async function runScheduledEvaluation(
  deps: PerformanceDependencies,
  options: EvaluationRunOptions = {},
): Promise<EvaluationRunReport[]> {
  const nowMs = (deps.now ?? Date.now)();
  const reports: EvaluationRunReport[] = [];
  for (const port of deps.ports) {
    let callsClosed = 0;
    // Vessels silent for 24 h: their call is over. Any state's outbox left by a crash is recorded on the way.
    const flush = async (s: { key: string; version: number; value: MachineRecord<unknown> }) => {
      if (!s.value.outbox?.length) return;
      await deps.store.record(s.value.outbox);
      await deps.store.clearOutbox(port, s.key, s.version);
    };
    for (const s of await deps.store.listStates<MachineRecord<VesselCallState>>(port, 'vessel#')) {
      await flush(s);
      const step = closeIfIdle(s.value.state, nowMs, options.portCallSplitMs);
      if (!step.transition) continue;
      // State first with the calls in its outbox, then the calls: a lost race (the vessel reported meanwhile)
      // records nothing, and the next run decides again.
      const record: MachineRecord<VesselCallState> = { state: step.state, outbox: step.calls };
      if (!(await deps.store.putState(port, s.key, record, s.version))) continue;
      await deps.store.record(step.calls);
      await deps.store.clearOutbox(port, s.key, s.version + 1);
      callsClosed += step.calls.length;
    }
    for (const s of await deps.store.listStates<MachineRecord<unknown>>(port, 'equipment#')) await flush(s);
    const currentHour = floorHour(nowMs);
    const stamp = new Date(nowMs).toISOString();
    const fold = (facts: PerformanceFact[], key: string) => ({
      hour: key,
      bucket: serialiseBucket(bucketOf(facts)),
      facts: facts.length,
      builtAt: stamp,
    });

    // Hours: the recent closed hours without a bucket yet, and every hour that got a fact after it closed.
    const recent = hoursOf(currentHour - (options.refoldHours ?? 6) * HOUR_MS, currentHour);
    const built = new Set(
      (await deps.store.buckets(port, recent[0] ?? hourKey(currentHour), hourKey(currentHour))).map((b) => b.hour),
    );
    const dirty = await deps.store.dirtyHours(port);
    const hoursFolded = [...new Set([...recent.filter((h) => !built.has(h)), ...dirty.map((d) => d.hour)])].sort();
    for (const hour of hoursFolded) await deps.store.putBucket(port, fold(await deps.store.factsOf(port, hour), hour));

    // The open hour, slot by slot: the closed slots not folded yet, and the last closed one again (its stragglers).
    const open = hourKey(currentHour);
    const lastClosedSlot = new Date(Math.floor(nowMs / SLOT_MS) * SLOT_MS - SLOT_MS).toISOString().slice(0, 16);
    const slotsBuilt = new Set((await deps.store.slotBuckets(port, open)).map((b) => b.hour));
    const slotsFolded = slotsOf(open).filter(
      (slot) => slotStartMs(slot) + SLOT_MS <= nowMs && (!slotsBuilt.has(slot) || slot === lastClosedSlot),
    );
    for (const slot of slotsFolded) {
      await deps.store.putSlotBucket(port, fold(await deps.store.factsOf(port, open, slot), slot));
    }
    for (const d of dirty) await deps.store.clearDirty(port, d);

    const snapshots: string[] = [];
    const write = async (granularity: 'hourly' | 'daily', fromMs: number, toMs: number) => {
      const evaluation = await evaluatePeriod(deps, port, fromMs, toMs);
      await deps.store.putSnapshot({
        port,
        granularity,
        from: evaluation.period.from,
        to: evaluation.period.to,
        evaluation,
      });
      snapshots.push(`${granularity}#${evaluation.period.from}`);
    };
    await write('hourly', currentHour - HOUR_MS, currentHour);
    const dayStart = Math.floor(nowMs / 86_400_000) * 86_400_000;
    if (nowMs - dayStart < HOUR_MS) await write('daily', dayStart - 86_400_000, dayStart);
    reports.push({ port, callsClosed, hoursFolded, slotsFolded, snapshots });
  }
  return reports;
}
