import { KPI_IDS, type KPI_UNIT_NAMES } from '../../../events/v1/performance';
import { type Bucket, by, CLEARANCE_STAGES, M } from './bucket';
import { quantileOf, type Sketch } from './sketch';

export { KPI_IDS };
export type KpiId = (typeof KPI_IDS)[number];
export type KpiUnit = (typeof KPI_UNIT_NAMES)[number];

export const KPI_UNITS: Readonly<Record<KpiId, KpiUnit>> = {
  'clearance.release.median_h': 'hours',
  'clearance.release.p90_h': 'hours',
  'clearance.assessment.p99_ms': 'ms',
  'gate.turnaround.median_min': 'minutes',
  'gate.throughput.per_hour': '1/h',
  'vessel.waiting.median_h': 'hours',
  'vessel.berth.median_h': 'hours',
  'inspection.rate': 'ratio',
  'inspection.hit_rate': 'ratio',
  'rpm.alarm.rate': 'ratio',
  'equipment.availability': 'ratio',
  'incident.response.median_min': 'minutes',
  'sla.release.compliance': 'ratio',
};

/** One KPI over a period. `value` is null when there is nothing to measure (`n` = 0). */
export interface Kpi {
  id: KpiId;
  value: number | null;
  unit: KpiUnit;
  /** Sample size: declarations, visits, calls, occupancies…; for availability, hours of observed equipment time. */
  n: number;
}

export type BreakdownDimension = 'lane' | 'direction' | 'mode' | 'stage' | 'rule' | 'selection' | 'gate-lane';

/** A KPI (or stage) for one value of a dimension: clearance by lane, hit rate per rule… */
export interface KpiBreakdown {
  id: string;
  by: BreakdownDimension;
  key: string;
  value: number | null;
  unit: KpiUnit;
  n: number;
}

export interface KpiReport {
  items: Kpi[];
  breakdowns: KpiBreakdown[];
}

const H = 3_600_000;
const MIN = 60_000;

const count = (b: Bucket, key: string) => b.counts[key] ?? 0;
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
const scaled = (s: Sketch | undefined, q: number, unitMs: number) => {
  const v = quantileOf(s, q);
  return v === undefined ? null : v / unitMs;
};
const n = (s: Sketch | undefined) => s?.count ?? 0;

/** The §4 KPIs of a bucket (the merge of a period's hours) over a period of `periodHours`. */
export function computeKpis(b: Bucket, periodHours: number): KpiReport {
  const s = b.sketches;
  const release = s[M.releaseMs];
  const observedMs = count(b, M.observedMs);
  const items: Kpi[] = [
    { id: 'clearance.release.median_h', value: scaled(release, 0.5, H), unit: 'hours', n: n(release) },
    { id: 'clearance.release.p90_h', value: scaled(release, 0.9, H), unit: 'hours', n: n(release) },
    {
      id: 'clearance.assessment.p99_ms',
      value: scaled(s[M.assessmentMs], 0.99, 1),
      unit: 'ms',
      n: n(s[M.assessmentMs]),
    },
    {
      id: 'gate.turnaround.median_min',
      value: scaled(s[M.turnaroundMs], 0.5, MIN),
      unit: 'minutes',
      n: n(s[M.turnaroundMs]),
    },
    {
      id: 'gate.throughput.per_hour',
      value: periodHours > 0 ? count(b, M.gateTx) / periodHours : null,
      unit: '1/h',
      n: count(b, M.gateTx),
    },
    { id: 'vessel.waiting.median_h', value: scaled(s[M.waitingMs], 0.5, H), unit: 'hours', n: n(s[M.waitingMs]) },
    { id: 'vessel.berth.median_h', value: scaled(s[M.berthMs], 0.5, H), unit: 'hours', n: n(s[M.berthMs]) },
    {
      id: 'inspection.rate',
      value: ratio(count(b, M.selected), count(b, M.assessed)),
      unit: 'ratio',
      n: count(b, M.assessed),
    },
    {
      id: 'inspection.hit_rate',
      value: ratio(count(b, M.finds), count(b, M.inspections)),
      unit: 'ratio',
      n: count(b, M.inspections),
    },
    {
      id: 'rpm.alarm.rate',
      value: ratio(count(b, M.alarms), count(b, M.occupancies)),
      unit: 'ratio',
      n: count(b, M.occupancies),
    },
    {
      id: 'equipment.availability',
      value: observedMs === 0 ? null : (observedMs - count(b, M.downMs)) / observedMs,
      unit: 'ratio',
      n: Math.round((observedMs / H) * 100) / 100,
    },
    {
      id: 'incident.response.median_min',
      value: scaled(s[M.responseMs], 0.5, MIN),
      unit: 'minutes',
      n: n(s[M.responseMs]),
    },
    {
      id: 'sla.release.compliance',
      value: ratio(count(b, M.withinSla), count(b, M.released)),
      unit: 'ratio',
      n: count(b, M.released),
    },
  ];
  return { items, breakdowns: breakdownsOf(b) };
}

/** The keys of one breakdown present in a bucket: `measure|dim=value` → value. */
export function keysOf(record: Record<string, unknown>, measure: string, dim: string): string[] {
  const prefix = `${measure}|${dim}=`;
  return Object.keys(record)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort();
}

function breakdownsOf(b: Bucket): KpiBreakdown[] {
  const out: KpiBreakdown[] = [];
  const s = b.sketches;
  for (const [dim, name] of [
    ['lane', 'lane'],
    ['direction', 'direction'],
    ['mode', 'mode'],
  ] as const) {
    for (const key of keysOf(s, M.releaseMs, dim)) {
      const sk = s[by(M.releaseMs, dim, key)];
      out.push({ id: 'clearance.release.median_h', by: name, key, value: scaled(sk, 0.5, H), unit: 'hours', n: n(sk) });
      out.push({ id: 'clearance.release.p90_h', by: name, key, value: scaled(sk, 0.9, H), unit: 'hours', n: n(sk) });
    }
  }
  for (const dim of ['direction', 'mode'] as const) {
    for (const key of keysOf(b.counts, M.assessed, dim)) {
      const all = count(b, by(M.assessed, dim, key));
      out.push({
        id: 'inspection.rate',
        by: dim,
        key,
        value: ratio(count(b, by(M.selected, dim, key)), all),
        unit: 'ratio',
        n: all,
      });
    }
  }
  for (const key of keysOf(b.counts, M.assessed, 'lane')) {
    out.push({
      id: 'clearance.lane.share',
      by: 'lane',
      key,
      value: ratio(count(b, by(M.assessed, 'lane', key)), count(b, M.assessed)),
      unit: 'ratio',
      n: count(b, by(M.assessed, 'lane', key)),
    });
  }
  for (const stage of CLEARANCE_STAGES) {
    const sk = s[M.stage(stage)];
    out.push({
      id: 'clearance.stage.median_h',
      by: 'stage',
      key: stage,
      value: scaled(sk, 0.5, H),
      unit: 'hours',
      n: n(sk),
    });
    out.push({
      id: 'clearance.stage.mean_h',
      by: 'stage',
      key: stage,
      value: sk && sk.count > 0 ? sk.sum / sk.count / H : null,
      unit: 'hours',
      n: n(sk),
    });
  }
  for (const dim of ['rule', 'selection'] as const) {
    for (const key of keysOf(b.counts, M.inspections, dim)) {
      const inspections = count(b, by(M.inspections, dim, key));
      out.push({
        id: 'inspection.hit_rate',
        by: dim,
        key,
        value: ratio(count(b, by(M.finds, dim, key)), inspections),
        unit: 'ratio',
        n: inspections,
      });
    }
  }
  for (const key of keysOf(s, M.turnaroundMs, 'lane')) {
    const sk = s[by(M.turnaroundMs, 'lane', key)];
    out.push({
      id: 'gate.turnaround.median_min',
      by: 'gate-lane',
      key,
      value: scaled(sk, 0.5, MIN),
      unit: 'minutes',
      n: n(sk),
    });
  }
  return out;
}
