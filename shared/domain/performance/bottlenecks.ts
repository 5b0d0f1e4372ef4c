import { type Bucket, by, CLEARANCE_STAGES, M } from './bucket';
import { keysOf } from './kpis';
import { quantileOf } from './sketch';

export type BottleneckKind = 'clearance-stage' | 'gate-lane' | 'berth' | 'inspection-rule' | 'equipment';

/** One blocking point, ranked within its kind (1 = worst), with the figures it was ranked on. */
export interface Bottleneck {
  kind: BottleneckKind;
  rank: number;
  subject: string;
  metric: string;
  value: number;
  unit: string;
  evidence: Record<string, number | string | null>;
}

const H = 3_600_000;
const MIN = 60_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function ranked<T extends { value: number }>(
  items: T[],
  worstFirst: (a: T, b: T) => number,
  top: number,
): (T & { rank: number })[] {
  return [...items]
    .sort(worstFirst)
    .slice(0, top)
    .map((x, i) => ({ ...x, rank: i + 1 }));
}

/**
 * Where a period's time goes (WCO TRS: find the stage to fix first):
 * - clearance stages by their share of all clearance time (Σ stage durations), with mean and median per declaration;
 * - gate lanes by median turnaround of the visits that entered through them;
 * - berths by median waiting (arrival in the port area → berth);
 * - inspection rules by inspections that found nothing (most first; ties: lower hit rate first);
 * - equipment by hours down (fault or maintenance).
 */
export function findBottlenecks(b: Bucket, top = 3): Bottleneck[] {
  const out: Bottleneck[] = [];
  const s = b.sketches;

  const stageTotals = CLEARANCE_STAGES.map((stage) => ({ stage, sk: s[M.stage(stage)] })).filter(
    (x) => (x.sk?.count ?? 0) > 0,
  );
  const allMs = stageTotals.reduce((a, x) => a + (x.sk?.sum ?? 0), 0);
  if (allMs > 0) {
    const items = stageTotals.map(({ stage, sk }) => ({
      value: r3((sk?.sum ?? 0) / allMs),
      stage,
      evidence: {
        totalH: r2((sk?.sum ?? 0) / H),
        meanH: r2((sk?.sum ?? 0) / (sk?.count ?? 1) / H),
        medianH: r2((quantileOf(sk, 0.5) ?? 0) / H),
        p90H: r2((quantileOf(sk, 0.9) ?? 0) / H),
        n: sk?.count ?? 0,
      },
    }));
    for (const x of ranked(items, (a, c) => c.value - a.value, top)) {
      out.push({
        kind: 'clearance-stage',
        rank: x.rank,
        subject: x.stage,
        metric: 'share of clearance time',
        value: x.value,
        unit: 'ratio',
        evidence: x.evidence,
      });
    }
  }

  const lanes = keysOf(s, M.turnaroundMs, 'lane').map((lane) => {
    const sk = s[by(M.turnaroundMs, 'lane', lane)];
    return {
      lane,
      value: r2((quantileOf(sk, 0.5) ?? 0) / MIN),
      evidence: {
        p90Min: r2((quantileOf(sk, 0.9) ?? 0) / MIN),
        visits: sk?.count ?? 0,
        transactions: b.counts[by(M.gateTx, 'lane', lane)] ?? 0,
      },
    };
  });
  for (const x of ranked(lanes, (a, c) => c.value - a.value || a.lane.localeCompare(c.lane), top)) {
    out.push({
      kind: 'gate-lane',
      rank: x.rank,
      subject: x.lane,
      metric: 'median turnaround',
      value: x.value,
      unit: 'minutes',
      evidence: x.evidence,
    });
  }

  const berths = keysOf(s, M.waitingMs, 'berth').map((berth) => {
    const sk = s[by(M.waitingMs, 'berth', berth)];
    return {
      berth,
      value: r2((quantileOf(sk, 0.5) ?? 0) / H),
      evidence: { p90H: r2((quantileOf(sk, 0.9) ?? 0) / H), calls: sk?.count ?? 0 },
    };
  });
  for (const x of ranked(berths, (a, c) => c.value - a.value || a.berth.localeCompare(c.berth), top)) {
    out.push({
      kind: 'berth',
      rank: x.rank,
      subject: x.berth,
      metric: 'median waiting before berth',
      value: x.value,
      unit: 'hours',
      evidence: x.evidence,
    });
  }

  const rules = keysOf(b.counts, M.inspections, 'rule').map((rule) => {
    const inspections = b.counts[by(M.inspections, 'rule', rule)] ?? 0;
    const finds = b.counts[by(M.finds, 'rule', rule)] ?? 0;
    return {
      rule,
      value: inspections - finds,
      hitRate: inspections === 0 ? 0 : finds / inspections,
      evidence: {
        selected: b.counts[by(M.selectedByRule, 'rule', rule)] ?? 0,
        inspections,
        finds,
        hitRate: inspections === 0 ? null : r3(finds / inspections),
      },
    };
  });
  const worstRules = ranked(
    rules.filter((r) => r.value > 0),
    (a, c) => c.value - a.value || a.hitRate - c.hitRate || a.rule.localeCompare(c.rule),
    top,
  );
  for (const x of worstRules) {
    out.push({
      kind: 'inspection-rule',
      rank: x.rank,
      subject: x.rule,
      metric: 'inspections without a find',
      value: x.value,
      unit: 'inspections',
      evidence: x.evidence,
    });
  }

  const equipment = keysOf(b.counts, M.downMs, 'equipment').map((id) => ({
    id,
    value: r2((b.counts[by(M.downMs, 'equipment', id)] ?? 0) / H),
  }));
  for (const x of ranked(equipment, (a, c) => c.value - a.value || a.id.localeCompare(c.id), top)) {
    if (x.value <= 0) continue;
    out.push({
      kind: 'equipment',
      rank: x.rank,
      subject: x.id,
      metric: 'hours down (fault or maintenance)',
      value: x.value,
      unit: 'hours',
      evidence: { downH: x.value },
    });
  }
  return out;
}
