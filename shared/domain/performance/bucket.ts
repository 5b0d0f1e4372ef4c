import type { PerformanceFact } from './facts';
import {
  copySketch,
  decodeSketch,
  type EncodedSketch,
  encodeSketch,
  mergeSketch,
  newSketch,
  type Sketch,
  SketchSum,
} from './sketch';

/**
 * One port's hour: counters and quantile sketches keyed by measure and dimension (`clearance.release_ms|lane=red`).
 * Buckets form a commutative monoid under `merge` (counters add, sketches merge), so the KPIs of any period are the
 * KPIs of the merge of its hours, in any order and grouping — the property test checks this against the raw facts.
 *
 * A duration belongs to the bucket of its **end** event (a release at 10:05 lodged at 07:50 counts in 10:00–11:00):
 * each fact is then counted exactly once without splitting it, and a period's clearance times are those of the
 * declarations released in it — the WCO Time Release Study's convention. Durations are stored in milliseconds.
 */
export interface Bucket {
  counts: Record<string, number>;
  sketches: Record<string, Sketch>;
}

export const emptyBucket = (): Bucket => ({ counts: {}, sketches: {} });

/** Keys of the measures (see docs/performance.md for each one's meaning). */
export const M = {
  lodged: 'decl.lodged',
  assessed: 'decl.assessed',
  selected: 'decl.selected',
  selectedByRule: 'decl.selected.rule',
  released: 'decl.released',
  withinSla: 'decl.released.within_sla',
  inspections: 'insp.results',
  finds: 'insp.finds',
  gateTx: 'gate.tx',
  gateVisits: 'gate.visits',
  occupancies: 'rpm.occupancies',
  alarms: 'rpm.alarms',
  observedMs: 'eq.observed_ms',
  downMs: 'eq.down_ms',
  calls: 'vessel.calls',
  berthedCalls: 'vessel.calls.berthed',
  raised: 'incident.raised',
  acked: 'incident.acked',
  releaseMs: 'clearance.release_ms',
  assessmentMs: 'clearance.assessment_ms',
  stage: (s: ClearanceStage) => `stage.${s}_ms`,
  turnaroundMs: 'gate.turnaround_ms',
  waitingMs: 'vessel.waiting_ms',
  berthMs: 'vessel.berth_ms',
  responseMs: 'incident.response_ms',
} as const;

/** WCO TRS stages between lodgement and release. `queue`: assessed → inspection started. */
export const CLEARANCE_STAGES = ['assessment', 'queue', 'inspection', 'release'] as const;
export type ClearanceStage = (typeof CLEARANCE_STAGES)[number];

/** `measure|dim=value`: one breakdown of a measure. */
export const by = (measure: string, dim: string, value: string) => `${measure}|${dim}=${value}`;

function add(b: Bucket, key: string, n = 1): void {
  b.counts[key] = (b.counts[key] ?? 0) + n;
}

function observe(b: Bucket, key: string, ms: number): void {
  let s = b.sketches[key];
  if (!s) {
    s = newSketch();
    b.sketches[key] = s;
  }
  // Clock skew between devices can make an end precede its start by a little: count it as zero, not negative.
  s.accept(Math.max(0, ms));
}

const between = (from: string, to: string) => Date.parse(to) - Date.parse(from);
const DOWN = new Set(['fault', 'maintenance']);

/** Folds one fact into a bucket, in place (the bucket of `hourOf(fact.at)`). Returns the bucket. */
export function aggregate(b: Bucket, f: PerformanceFact): Bucket {
  switch (f.type) {
    case 'declaration.lodged':
      add(b, M.lodged);
      break;
    case 'declaration.assessed': {
      const ms = between(f.lodgedAt, f.at);
      add(b, M.assessed);
      add(b, by(M.assessed, 'lane', f.lane));
      add(b, by(M.assessed, 'direction', f.direction));
      add(b, by(M.assessed, 'mode', f.mode));
      add(b, by(M.assessed, 'selection', f.selection));
      observe(b, M.assessmentMs, ms);
      observe(b, M.stage('assessment'), ms);
      if (f.lane === 'red' || f.lane === 'yellow') {
        add(b, M.selected);
        add(b, by(M.selected, 'direction', f.direction));
        add(b, by(M.selected, 'mode', f.mode));
        for (const r of new Set(f.ruleIds)) add(b, by(M.selectedByRule, 'rule', r));
      }
      break;
    }
    case 'inspection.started':
      observe(b, M.stage('queue'), between(f.readyAt, f.at));
      break;
    case 'inspection.result':
      add(b, M.inspections);
      add(b, by(M.inspections, 'selection', f.selection));
      if (f.found) {
        add(b, M.finds);
        add(b, by(M.finds, 'selection', f.selection));
      }
      for (const r of new Set(f.ruleIds)) {
        add(b, by(M.inspections, 'rule', r));
        if (f.found) add(b, by(M.finds, 'rule', r));
      }
      if (f.startedAt) observe(b, M.stage('inspection'), between(f.startedAt, f.at));
      break;
    case 'declaration.released': {
      const ms = between(f.lodgedAt, f.at);
      add(b, M.released);
      if (Date.parse(f.at) <= Date.parse(f.slaDueAt)) add(b, M.withinSla);
      observe(b, M.releaseMs, ms);
      observe(b, by(M.releaseMs, 'lane', f.lane), ms);
      observe(b, by(M.releaseMs, 'direction', f.direction), ms);
      observe(b, by(M.releaseMs, 'mode', f.mode), ms);
      observe(b, M.stage('release'), between(f.readyAt ?? f.lodgedAt, f.at));
      break;
    }
    case 'gate.transaction':
      add(b, M.gateTx);
      add(b, by(M.gateTx, 'lane', f.laneId));
      break;
    case 'gate.visit': {
      const ms = between(f.inAt, f.at);
      add(b, M.gateVisits);
      observe(b, M.turnaroundMs, ms);
      if (f.laneIn) observe(b, by(M.turnaroundMs, 'lane', f.laneIn), ms);
      break;
    }
    case 'vessel.call':
      add(b, M.calls);
      if (f.berthAt) {
        add(b, M.berthedCalls);
        observe(b, M.waitingMs, between(f.arrivalAt, f.berthAt));
        observe(b, M.berthMs, between(f.berthAt, f.at));
        if (f.berthId) observe(b, by(M.waitingMs, 'berth', f.berthId), between(f.arrivalAt, f.berthAt));
      }
      break;
    case 'rpm.occupancy':
      add(b, M.occupancies);
      if (f.alarm) add(b, M.alarms);
      break;
    case 'equipment.interval': {
      const ms = Math.max(0, between(f.from, f.at));
      add(b, M.observedMs, ms);
      add(b, by(M.observedMs, 'type', f.equipmentType), ms);
      if (DOWN.has(f.condition)) {
        add(b, M.downMs, ms);
        add(b, by(M.downMs, 'type', f.equipmentType), ms);
        add(b, by(M.downMs, 'equipment', f.equipmentId), ms);
      }
      break;
    }
    case 'incident.raised':
      add(b, M.raised);
      break;
    case 'incident.acknowledged':
      add(b, M.acked);
      observe(b, M.responseMs, between(f.raisedAt, f.at));
      break;
    case 'ais.position':
    case 'equipment.report':
      // Inputs of the vessel-call and availability state machines; their outputs (calls, intervals) are counted.
      break;
  }
  return b;
}

/** a ⊕ b as a new bucket (neither argument changes). */
export function merge(a: Bucket, b: Bucket): Bucket {
  return mergeInto(mergeInto(emptyBucket(), a), b);
}

/** into ⊕= from, in place: the cheap form for folding many buckets. */
export function mergeInto(into: Bucket, from: Bucket): Bucket {
  for (const [k, n] of Object.entries(from.counts)) into.counts[k] = (into.counts[k] ?? 0) + n;
  for (const [k, s] of Object.entries(from.sketches)) {
    const mine = into.sketches[k];
    if (mine) mergeSketch(mine, s);
    else into.sketches[k] = copySketch(s);
  }
  return into;
}

/** A bucket as plain JSON for storage: counters as they are, sketches encoded (see `encodeSketch`). */
export interface StoredBucket {
  c: Record<string, number>;
  s: Record<string, EncodedSketch>;
}

export function serialiseBucket(b: Bucket): StoredBucket {
  const s: Record<string, EncodedSketch> = {};
  for (const [k, sk] of Object.entries(b.sketches)) s[k] = encodeSketch(sk);
  return { c: { ...b.counts }, s };
}

export function deserialiseBucket(stored: StoredBucket): Bucket {
  const sketches: Record<string, Sketch> = {};
  for (const [k, e] of Object.entries(stored.s)) sketches[k] = decodeSketch(e);
  return { counts: { ...stored.c }, sketches };
}

/**
 * The merge of many stored buckets, done on their stored form (counters and sketch bins added up) and decoded once:
 * the same bucket as decoding each and merging, at a fraction of the cost (the API's path over a period).
 */
export class StoredBucketSum {
  private readonly counts: Record<string, number> = {};
  private readonly sums = new Map<string, SketchSum>();

  add(stored: StoredBucket): this {
    for (const [k, n] of Object.entries(stored.c)) this.counts[k] = (this.counts[k] ?? 0) + n;
    for (const [k, e] of Object.entries(stored.s)) {
      let sum = this.sums.get(k);
      if (!sum) {
        sum = new SketchSum();
        this.sums.set(k, sum);
      }
      sum.add(e);
    }
    return this;
  }

  toBucket(): Bucket {
    const sketches: Record<string, Sketch> = {};
    for (const [k, sum] of this.sums) sketches[k] = sum.toSketch();
    return { counts: { ...this.counts }, sketches };
  }
}

/** Folds facts into one bucket (tests, the open hour, compaction). */
export function bucketOf(facts: Iterable<PerformanceFact>): Bucket {
  const b = emptyBucket();
  for (const f of facts) aggregate(b, f);
  return b;
}
