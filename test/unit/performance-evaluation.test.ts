import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_EVALUATION_MODEL,
  evaluate,
  gradeOf,
  type Kpi,
  type KpiId,
  normalise,
  rankPorts,
  trendOf,
} from '../../shared/domain/performance';

// The worked example of docs/performance.md ("Worked example"): every number below is computed there by hand.
const value: Record<KpiId, number> = {
  'clearance.release.median_h': 12,
  'clearance.release.p90_h': 60,
  'clearance.assessment.p99_ms': 800,
  'inspection.rate': 0.14,
  'gate.turnaround.median_min': 45,
  'vessel.berth.median_h': 24,
  'gate.throughput.per_hour': 90,
  'vessel.waiting.median_h': 25,
  'equipment.availability': 0.89,
  'rpm.alarm.rate': 0.0275,
  'incident.response.median_min': 5,
  'sla.release.compliance': 0.9,
  'inspection.hit_rate': 0.15,
};
const kpis = (over: Partial<Record<KpiId, number | null>> = {}): Kpi[] =>
  Object.entries({ ...value, ...over }).map(([id, v]) => ({
    id: id as KpiId,
    value: v ?? null,
    unit: 'x' as Kpi['unit'],
    n: v === null ? 0 : 100,
  }));

describe('the evaluation model on the documented example', () => {
  const e = evaluate(kpis());
  const dim = (id: string) => e.dimensions.find((d) => d.id === id);

  it('scores each dimension as the weighted mean of its normalised indicators', () => {
    expect(Object.fromEntries(e.dimensions.map((d) => [d.id, d.score]))).toEqual({
      'hardware-facilities': 50,
      'traffic-capacity': 62.5,
      'input-output': 85,
      'operational-safety': 75,
      'clearance-convenience': 73.8,
      'intelligence-level': 90,
      'management-service': 83.3,
      'social-benefit': 50,
    });
    expect(dim('clearance-convenience')?.indicators.map((i) => [i.id, i.score, i.weight])).toEqual([
      ['clearance.release.median_h', 85.7, 2],
      ['clearance.release.p90_h', 50, 1],
    ]);
  });

  it('weights the dimensions into an index of 71.7, grade fair', () => {
    expect(e.index).toEqual({ score: 71.7, grade: 'fair' });
  });

  it('leaves out indicators without data and renormalises the weights', () => {
    const noAis = evaluate(kpis({ 'vessel.waiting.median_h': null, 'vessel.berth.median_h': null }));
    const d = (id: string) => noAis.dimensions.find((x) => x.id === id)?.score;
    expect(d('traffic-capacity')).toBe(75);
    expect(d('input-output')).toBe(90);
    // 0.2·73.8 + 0.15·75 + 0.15·90 + 0.1·(50 + 75 + 90 + 83.3 + 50) = 14.76 + 11.25 + 13.5 + 34.83 = 74.34
    expect(noAis.index.score).toBe(74.3);
  });

  it('has no index without any data', () => {
    const none = evaluate(Object.keys(value).map((id) => ({ id: id as KpiId, value: null, unit: 'ratio', n: 0 })));
    expect(none.index).toEqual({ score: null, grade: null });
    expect(none.dimensions.every((d) => d.score === null)).toBe(true);
  });

  it('sums its default dimension weights to 1 and maps every KPI to one dimension', () => {
    const w = Object.values(DEFAULT_EVALUATION_MODEL.dimensionWeights).reduce((a, b) => a + b, 0);
    expect(w).toBeCloseTo(1, 12);
    expect(new Set(DEFAULT_EVALUATION_MODEL.indicators.map((i) => i.id)).size).toBe(13);
  });
});

describe('normalisation, grades, trend and ranking', () => {
  it('normalises both directions between bound (0) and target (100), clamped', () => {
    expect(normalise(6, 6, 48)).toBe(100);
    expect(normalise(27, 6, 48)).toBe(50);
    expect(normalise(100, 6, 48)).toBe(0);
    expect(normalise(0.99, 0.98, 0.8)).toBe(100);
    expect(normalise(0.5, 1, 0)).toBe(50);
  });

  it('grades on five levels', () => {
    const floors = DEFAULT_EVALUATION_MODEL.gradeFloors;
    expect([95, 90, 80, 60, 45, 39.9].map((s) => gradeOf(s, floors))).toEqual([
      'veryGood',
      'veryGood',
      'good',
      'fair',
      'bad',
      'veryBad',
    ]);
  });

  it('compares with the previous period', () => {
    expect(trendOf(71.7, 65.2, 1)).toEqual({ previousScore: 65.2, delta: 6.5, direction: 'up' });
    expect(trendOf(71.7, 72.2, 1)).toMatchObject({ direction: 'flat' });
    expect(trendOf(60, 72, 1)).toMatchObject({ delta: -12, direction: 'down' });
    expect(trendOf(60, null, 1)).toEqual({ previousScore: null, delta: null, direction: null });
  });

  it('ranks ports best first, ties sharing a rank, ports without data last', () => {
    const at = (score: number | null) => ({
      index: { score, grade: score === null ? null : gradeOf(score, DEFAULT_EVALUATION_MODEL.gradeFloors) },
      dimensions: [],
    });
    expect(
      rankPorts([
        { port: 'NLRTM', evaluation: at(80) },
        { port: 'CNSGH', evaluation: at(71.7) },
        { port: 'SGSIN', evaluation: at(80) },
        { port: 'DEHAM', evaluation: at(null) },
      ]).map((r) => [r.port, r.rank, r.grade]),
    ).toEqual([
      ['NLRTM', 1, 'good'],
      ['SGSIN', 1, 'good'],
      ['CNSGH', 3, 'fair'],
      ['DEHAM', 4, null],
    ]);
  });
});

describe('docs/performance.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/performance.md'), 'utf8');
  const num = (s: string) => Number(s.replace(/,/g, ''));

  it('lists every indicator with the target, bound and weight the default model uses', () => {
    for (const r of DEFAULT_EVALUATION_MODEL.indicators) {
      const row = doc
        .split('\n')
        .find((l) => l.startsWith(`| \`${r.id}\``) && Number.isFinite(num(l.split('|')[2]?.trim() ?? '')));
      const [, , target, bound, weight] = row?.split('|').map((c) => c.trim()) ?? [];
      expect([r.id, num(target ?? ''), num(bound ?? ''), num(weight ?? '')]).toEqual([
        r.id,
        r.target,
        r.bound,
        r.weight,
      ]);
    }
  });

  it('gives each dimension the weight the default model uses', () => {
    for (const [id, w] of Object.entries(DEFAULT_EVALUATION_MODEL.dimensionWeights)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${id}\``));
      expect([id, num(row?.split('|')[2]?.trim() ?? '')]).toEqual([id, w]);
    }
  });
});
