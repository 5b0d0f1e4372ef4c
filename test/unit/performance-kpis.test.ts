import {
  bucketOf,
  computeKpis,
  deserialiseBucket,
  emptyBucket,
  findBottlenecks,
  hourOf,
  type Kpi,
  type KpiBreakdown,
  mergeInto,
  SKETCH_RELATIVE_ACCURACY,
  serialiseBucket,
} from '../../shared/domain/performance';
import { DAY_FACTS } from '../fixtures/performance/day-facts';

// Every KPI of CONTRACT.md §4 on the hand-made day of test/fixtures/performance/day-facts.ts. Quantiles come from a
// DDSketch: they are within its relative accuracy (1 %) of the exact order statistic at rank ⌊q·(n − 1)⌋ (the lower
// one, DDSketch's convention: the p90 of three values is the second).
const H = 3_600_000;
const kpis = computeKpis(bucketOf(DAY_FACTS), 24);
const kpi = (id: Kpi['id']) => {
  const k = kpis.items.find((x) => x.id === id);
  if (!k) throw new Error(`no ${id}`);
  return k;
};
const breakdown = (id: string, dim: KpiBreakdown['by'], key: string) =>
  kpis.breakdowns.find((x) => x.id === id && x.by === dim && x.key === key);
const near = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(expected * SKETCH_RELATIVE_ACCURACY + 1e-9);
};

describe('KPIs of a hand-computed day', () => {
  it('clearance release: median and p90 of the three released declarations (0.2 s, 6 h, 10 h): 6 h and 6 h', () => {
    near(kpi('clearance.release.median_h').value, 6);
    // ⌊0.9 · 2⌋ = 1: the second value.
    near(kpi('clearance.release.p90_h').value, 6);
    expect(kpi('clearance.release.median_h')).toMatchObject({ unit: 'hours', n: 3 });
  });

  it('assessment p99 of 200, 500, 999 and 100 ms: ⌊0.99 · 3⌋ = 2, the third fastest, 500 ms', () => {
    near(kpi('clearance.assessment.p99_ms').value, 500);
    expect(kpi('clearance.assessment.p99_ms')).toMatchObject({ unit: 'ms', n: 4 });
  });

  it('gate turnaround median 40 min of 40, 90, 20; throughput 6 transactions / 24 h', () => {
    near(kpi('gate.turnaround.median_min').value, 40);
    expect(kpi('gate.turnaround.median_min').n).toBe(3);
    expect(kpi('gate.throughput.per_hour')).toEqual({ id: 'gate.throughput.per_hour', value: 0.25, unit: '1/h', n: 6 });
  });

  it('vessel waiting median 3 h (1, 3, 4) and berth median 12 h (9, 12, 13) over the three berthed calls', () => {
    near(kpi('vessel.waiting.median_h').value, 3);
    near(kpi('vessel.berth.median_h').value, 12);
    expect(kpi('vessel.waiting.median_h').n).toBe(3);
  });

  it('inspection rate 3/4, hit rate 1/3, SLA compliance 2/3, alarm rate 1/10', () => {
    expect(kpi('inspection.rate')).toMatchObject({ value: 0.75, n: 4 });
    expect(kpi('inspection.hit_rate').value).toBeCloseTo(1 / 3, 12);
    expect(kpi('inspection.hit_rate').n).toBe(3);
    expect(kpi('sla.release.compliance').value).toBeCloseTo(2 / 3, 12);
    expect(kpi('rpm.alarm.rate')).toMatchObject({ value: 0.1, n: 10 });
  });

  it('equipment availability: 6 h down of 48 h observed', () => {
    expect(kpi('equipment.availability').value).toBeCloseTo(42 / 48, 6);
    expect(kpi('equipment.availability').n).toBeCloseTo(48, 1);
  });

  it('incident response median 6 min of 6, 20, 2', () => {
    near(kpi('incident.response.median_min').value, 6);
    expect(kpi('incident.response.median_min').n).toBe(3);
  });

  it('breaks clearance down by lane, direction and mode, and per stage', () => {
    near(breakdown('clearance.release.median_h', 'lane', 'red')?.value, 6);
    near(breakdown('clearance.release.median_h', 'mode', 'road')?.value, 10);
    expect(breakdown('clearance.release.median_h', 'direction', 'import')?.n).toBe(2);
    expect(breakdown('inspection.rate', 'direction', 'import')).toMatchObject({ value: 2 / 3, n: 3 });
    // Inspection stage: three inspections of 2 h each.
    near(breakdown('clearance.stage.median_h', 'stage', 'inspection')?.value, 2);
    // Release stage: 0.2 s, 2 h, 7.5 h → mean (2 + 7.5 + 0.2/3600) / 3.
    expect(breakdown('clearance.stage.mean_h', 'stage', 'release')?.value).toBeCloseTo((9.5 + 0.2 / 3600) / 3, 3);
  });

  it('gives hit rates per rule and random versus targeted', () => {
    expect(breakdown('inspection.hit_rate', 'rule', 'R1')).toMatchObject({ value: 1, n: 1 });
    expect(breakdown('inspection.hit_rate', 'rule', 'R2')).toMatchObject({ value: 0, n: 1 });
    expect(breakdown('inspection.hit_rate', 'selection', 'targeted')).toMatchObject({ value: 0.5, n: 2 });
    expect(breakdown('inspection.hit_rate', 'selection', 'random')).toMatchObject({ value: 0, n: 1 });
  });

  it('answers null with n = 0 where nothing was measured', () => {
    const none = computeKpis(emptyBucket(), 24);
    expect(none.items).toHaveLength(13);
    for (const k of none.items)
      expect(k.n === 0 && (k.value === null || k.id === 'gate.throughput.per_hour')).toBe(true);
  });
});

describe('bottlenecks of the day', () => {
  const found = findBottlenecks(bucketOf(DAY_FACTS));
  const of = (kind: string) => found.filter((b) => b.kind === kind);

  it('ranks the release stage first: 9.5 h of the day’s 19 h of clearance time', () => {
    const stages = of('clearance-stage');
    expect(stages.map((s) => s.subject)).toEqual(['release', 'inspection', 'queue']);
    expect(stages[0]?.value).toBeCloseTo(9.5 / 19, 2);
    expect(stages[0]?.evidence).toMatchObject({ n: 3 });
  });

  it('ranks gate lane L1 (median 40 min) before L2 (20 min)', () => {
    expect(of('gate-lane').map((l) => [l.subject, l.rank])).toEqual([
      ['L1', 1],
      ['L2', 2],
    ]);
  });

  it('ranks the rules by inspections without a find; a rule that always finds is no bottleneck', () => {
    expect(of('inspection-rule').map((r) => r.subject)).toEqual(['R2', 'RANDOM-SELECTION']);
    expect(of('inspection-rule')[0]?.evidence).toEqual({ selected: 1, inspections: 1, finds: 0, hitRate: 0 });
  });

  it('names the berth with its median wait and the equipment down longest', () => {
    expect(of('berth')[0]).toMatchObject({ subject: 'WGQ', unit: 'hours' });
    expect(of('equipment').map((e) => [e.subject, e.value])).toEqual([
      ['S1', 4],
      ['C1', 2],
    ]);
  });
});

describe('hour buckets', () => {
  it('survive storage: serialised and read back they give the same KPIs', () => {
    const b = bucketOf(DAY_FACTS);
    const back = deserialiseBucket(JSON.parse(JSON.stringify(serialiseBucket(b))));
    expect(computeKpis(back, 24)).toEqual(kpis);
  });

  it('merge per hour into the same KPIs as one bucket of the whole day', () => {
    const hours = new Map<string, ReturnType<typeof emptyBucket>>();
    for (const f of DAY_FACTS) {
      const h = hourOf(f.at);
      hours.set(h, mergeInto(hours.get(h) ?? emptyBucket(), bucketOf([f])));
    }
    const merged = [...hours.values()].reduce((a, b) => mergeInto(a, b), emptyBucket());
    expect(computeKpis(merged, 24)).toEqual(kpis);
    expect(hours.size).toBeGreaterThan(10);
  });

  it('attributes a duration to the hour of its end event', () => {
    const release = DAY_FACTS.find((f) => f.type === 'declaration.released' && f.declarationId === 'D2');
    expect(release && hourOf(release.at)).toBe('2026-11-26T15');
    expect(H).toBe(3_600_000);
  });
});
