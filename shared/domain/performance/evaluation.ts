import { DIMENSION_IDS, GRADES } from '../../../events/v1/performance';
import { KPI_UNITS, type Kpi, type KpiId, type KpiUnit } from './kpis';

export { DIMENSION_IDS, GRADES };
export type DimensionId = (typeof DIMENSION_IDS)[number];
export type Grade = (typeof GRADES)[number];

/**
 * How one indicator scores: 100 at `target` or better, 0 at `bound` or worse, linear in between. `target` < `bound`
 * means lower is better (a time); `target` > `bound` means higher is better (a rate of success).
 */
export interface IndicatorRule {
  id: KpiId;
  dimension: DimensionId;
  target: number;
  bound: number;
  /** Weight inside its dimension (renormalised over the indicators that have data). */
  weight: number;
}

export interface EvaluationModel {
  indicators: readonly IndicatorRule[];
  /** Dimension weights, summing to 1 (renormalised over the dimensions that have data). */
  dimensionWeights: Readonly<Record<DimensionId, number>>;
  /** Lowest index of each grade but the last, best first: [veryGood, good, fair, bad]. */
  gradeFloors: readonly [number, number, number, number];
  /** A trend within ± this many index points is `flat`. */
  flatBand: number;
}

/**
 * Defaults (docs/performance.md justifies each): targets from the field's public anchors — RCEP Art. 4.11 (release
 * within 48 h, perishables 6 h), a machine decision under a second (DESIGN.md), CPPI port hours, WCO/ASYCUDA practice
 * of a few per cent physical examinations — and bounds where performance is plainly failing. A port loads its
 * official set (《智慧口岸评价指标及计算方法》, T/CPHA 9—2022) by replacing this object.
 */
export const DEFAULT_EVALUATION_MODEL: EvaluationModel = {
  indicators: [
    { id: 'equipment.availability', dimension: 'hardware-facilities', target: 0.98, bound: 0.8, weight: 1 },
    { id: 'gate.throughput.per_hour', dimension: 'traffic-capacity', target: 120, bound: 0, weight: 1 },
    { id: 'vessel.waiting.median_h', dimension: 'traffic-capacity', target: 2, bound: 48, weight: 1 },
    { id: 'vessel.berth.median_h', dimension: 'input-output', target: 12, bound: 72, weight: 1 },
    { id: 'gate.turnaround.median_min', dimension: 'input-output', target: 30, bound: 180, weight: 1 },
    { id: 'rpm.alarm.rate', dimension: 'operational-safety', target: 0.005, bound: 0.05, weight: 1 },
    { id: 'incident.response.median_min', dimension: 'operational-safety', target: 5, bound: 60, weight: 1 },
    { id: 'clearance.release.median_h', dimension: 'clearance-convenience', target: 6, bound: 48, weight: 2 },
    { id: 'clearance.release.p90_h', dimension: 'clearance-convenience', target: 24, bound: 96, weight: 1 },
    { id: 'clearance.assessment.p99_ms', dimension: 'intelligence-level', target: 1000, bound: 60_000, weight: 1 },
    { id: 'inspection.rate', dimension: 'intelligence-level', target: 0.05, bound: 0.5, weight: 1 },
    { id: 'sla.release.compliance', dimension: 'management-service', target: 0.98, bound: 0.5, weight: 1 },
    { id: 'inspection.hit_rate', dimension: 'social-benefit', target: 0.3, bound: 0, weight: 1 },
  ],
  dimensionWeights: {
    'clearance-convenience': 0.2,
    'traffic-capacity': 0.15,
    'input-output': 0.15,
    'hardware-facilities': 0.1,
    'operational-safety': 0.1,
    'intelligence-level': 0.1,
    'management-service': 0.1,
    'social-benefit': 0.1,
  },
  gradeFloors: [90, 75, 60, 40],
  flatBand: 1,
};

export interface IndicatorScore {
  id: KpiId;
  value: number | null;
  unit: KpiUnit;
  n: number;
  /** 0–100, or null without data (then it does not count). */
  score: number | null;
  target: number;
  bound: number;
  weight: number;
}

export interface DimensionScore {
  id: DimensionId;
  /** 0–100, or null when none of its indicators has data. */
  score: number | null;
  weight: number;
  indicators: IndicatorScore[];
}

export interface Evaluation {
  index: { score: number | null; grade: Grade | null };
  dimensions: DimensionScore[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** 0–100 for a value between bound (0) and target (100), either direction. */
export function normalise(value: number, target: number, bound: number): number {
  if (target === bound) return value === target ? 100 : 0;
  const t = (value - bound) / (target - bound);
  return Math.max(0, Math.min(1, t)) * 100;
}

export function gradeOf(score: number, floors: EvaluationModel['gradeFloors']): Grade {
  const i = floors.findIndex((f) => score >= f);
  return GRADES[i === -1 ? 4 : i] ?? 'veryBad';
}

function weighted(parts: { score: number | null; weight: number }[]): number | null {
  const scored = parts.filter((p): p is { score: number; weight: number } => p.score !== null && p.weight > 0);
  const total = scored.reduce((a, p) => a + p.weight, 0);
  return total === 0 ? null : scored.reduce((a, p) => a + p.score * p.weight, 0) / total;
}

/**
 * Indicators → dimension scores (weighted mean of the indicators with data) → index (weighted mean of the
 * dimensions with data) → grade. Without data a part is left out and the others' weights renormalised, so a port
 * without AIS is not punished for it; each part says what it was computed from.
 */
export function evaluate(kpis: readonly Kpi[], model: EvaluationModel = DEFAULT_EVALUATION_MODEL): Evaluation {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const dimensions: DimensionScore[] = DIMENSION_IDS.map((id) => {
    const indicators = model.indicators
      .filter((r) => r.dimension === id)
      .map((r): IndicatorScore => {
        const k = byId.get(r.id);
        const value = k && k.n > 0 ? k.value : null;
        return {
          id: r.id,
          value,
          unit: KPI_UNITS[r.id],
          n: k?.n ?? 0,
          score: value === null ? null : round1(normalise(value, r.target, r.bound)),
          target: r.target,
          bound: r.bound,
          weight: r.weight,
        };
      });
    const score = weighted(indicators);
    return { id, score: score === null ? null : round1(score), weight: model.dimensionWeights[id], indicators };
  });
  const index = weighted(dimensions);
  return {
    index: {
      score: index === null ? null : round1(index),
      grade: index === null ? null : gradeOf(round1(index), model.gradeFloors),
    },
    dimensions,
  };
}

export type TrendDirection = 'up' | 'down' | 'flat';

export interface Trend {
  previousScore: number | null;
  delta: number | null;
  direction: TrendDirection | null;
}

/** The change against the previous period (same length, just before). */
export function trendOf(current: number | null, previous: number | null, flatBand: number): Trend {
  if (current === null || previous === null) return { previousScore: previous, delta: null, direction: null };
  const delta = round1(current - previous);
  return {
    previousScore: previous,
    delta,
    direction: Math.abs(delta) <= flatBand ? 'flat' : delta > 0 ? 'up' : 'down',
  };
}

export interface RankedPort {
  port: string;
  rank: number;
  score: number | null;
  grade: Grade | null;
}

/** Several ports side by side (dynamic classification): best index first, ties share a rank, no data last. */
export function rankPorts(
  evaluations: readonly { port: string; evaluation: Pick<Evaluation, 'index'> }[],
): RankedPort[] {
  const sorted = [...evaluations].sort(
    (a, b) =>
      (b.evaluation.index.score ?? Number.NEGATIVE_INFINITY) - (a.evaluation.index.score ?? Number.NEGATIVE_INFINITY) ||
      a.port.localeCompare(b.port),
  );
  const out: RankedPort[] = [];
  sorted.forEach((e, i) => {
    const prev = out[i - 1];
    const score = e.evaluation.index.score;
    const rank = prev && prev.score === score ? prev.rank : i + 1;
    out.push({ port: e.port, rank, score, grade: e.evaluation.index.grade });
  });
  return out;
}
