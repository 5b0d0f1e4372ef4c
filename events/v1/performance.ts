import * as z from 'zod';
import { PortCode } from './topic';

/**
 * Port performance evaluation, v1 (CONTRACT.md §3 `/v1/ports/{port}/performance` and `/kpis`, §4 KPI and dimension
 * ids). Computed on demand from the port's hour buckets; docs/performance.md explains every figure.
 */

const Timestamp = z.iso.datetime({ offset: true });

/** The longest period one request may evaluate (a year and a month of hour buckets). */
export const MAX_PERIOD_DAYS = 400;

export const PerformancePath = z.strictObject({ port: PortCode });

/**
 * `?from=&to=`: ISO-8601 times, widened to whole hours (from down, to up). Default: the 24 hours up to the end of
 * the current hour. The previous period for the trend has the same length, just before `from`.
 */
export const PerformanceQuery = z
  .strictObject({
    from: Timestamp.optional().describe('start of the period (inclusive), ISO-8601'),
    to: Timestamp.optional().describe('end of the period (exclusive), ISO-8601; default now'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `a period is at most ${MAX_PERIOD_DAYS} days`,
    path: ['to'],
  });

/** KPI ids of CONTRACT.md §4: defined here, once; the domain computes exactly these. */
export const KPI_IDS = [
  'clearance.release.median_h',
  'clearance.release.p90_h',
  'clearance.assessment.p99_ms',
  'gate.turnaround.median_min',
  'gate.throughput.per_hour',
  'vessel.waiting.median_h',
  'vessel.berth.median_h',
  'inspection.rate',
  'inspection.hit_rate',
  'rpm.alarm.rate',
  'equipment.availability',
  'incident.response.median_min',
  'sla.release.compliance',
] as const;
export const KpiId = z.enum(KPI_IDS);
export const KPI_UNIT_NAMES = ['hours', 'ms', 'minutes', '1/h', 'ratio'] as const;
export const KpiUnit = z.enum(KPI_UNIT_NAMES);
/** Evaluation dimensions of the guideline (CONTRACT.md §4). */
export const DIMENSION_IDS = [
  'hardware-facilities',
  'traffic-capacity',
  'input-output',
  'operational-safety',
  'clearance-convenience',
  'intelligence-level',
  'management-service',
  'social-benefit',
] as const;
export const DimensionId = z.enum(DIMENSION_IDS);
/** FIWARE KPI model's five levels, best first. */
export const GRADES = ['veryGood', 'good', 'fair', 'bad', 'veryBad'] as const;
export const Grade = z.enum(GRADES);

export const Period = z.object({
  from: Timestamp,
  to: Timestamp,
  hours: z.number().int().describe('whole hours in the period'),
});

export const Coverage = z
  .object({
    hours: z.number().int(),
    buckets: z.number().int().describe('hours read from their stored bucket'),
    liveHours: z.number().int().describe('hours not folded yet (the open hour…): their folded slots, then facts'),
    liveSlots: z.number().int().describe('five-minute slots of those hours read from their facts'),
    unfoldedHours: z.number().int().describe('hours neither folded nor computed (beyond the live limit)'),
  })
  .describe('what the figures were computed from');

export const Kpi = z.object({
  id: KpiId,
  value: z.number().nullable().describe('null when nothing was measured (n = 0)'),
  unit: KpiUnit,
  n: z.number().describe('sample size (declarations, visits, calls…; hours observed for equipment availability)'),
});

export const KpiBreakdown = z.object({
  id: z.string().describe('a KPI id, or clearance.stage.median_h / .mean_h, clearance.lane.share'),
  by: z.enum(['lane', 'direction', 'mode', 'stage', 'rule', 'selection', 'gate-lane']),
  key: z.string(),
  value: z.number().nullable(),
  unit: KpiUnit,
  n: z.number(),
});

export const KpiReport = z.object({
  port: PortCode,
  period: Period,
  items: z.array(Kpi).describe('every KPI of CONTRACT.md §4, each with its sample size n'),
  breakdowns: z.array(KpiBreakdown).describe('clearance by lane, direction, mode and stage; hit rate per rule…'),
  coverage: Coverage,
});

export const IndicatorScore = Kpi.extend({
  score: z.number().nullable().describe('0–100 against target and bound; null without data (not counted)'),
  target: z.number().describe('the value scoring 100'),
  bound: z.number().describe('the value scoring 0'),
  weight: z.number(),
});

export const DimensionScore = z.object({
  id: DimensionId,
  score: z.number().nullable().describe('0–100, the weighted mean of its indicators with data; null without any'),
  weight: z.number(),
  indicators: z.array(IndicatorScore),
});

export const Bottleneck = z.object({
  kind: z.enum(['clearance-stage', 'gate-lane', 'berth', 'inspection-rule', 'equipment']),
  rank: z.number().int().describe('1 = the worst of its kind'),
  subject: z.string(),
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});

export const PortPerformance = z.object({
  port: PortCode,
  period: Period,
  index: z.object({
    score: z.number().nullable().describe('0–100; null when no dimension has data'),
    grade: Grade.nullable(),
    trend: z.object({
      previousScore: z.number().nullable(),
      delta: z.number().nullable(),
      direction: z.enum(['up', 'down', 'flat']).nullable(),
    }),
  }),
  dimensions: z.array(DimensionScore),
  bottlenecks: z.array(Bottleneck),
  computedAt: Timestamp,
  coverage: Coverage,
});

/** `GET /v1/ports/ranking`: the evaluated ports side by side (dynamic classification), best index first. */
export const PortRanking = z.object({
  period: Period,
  items: z.array(
    z.object({
      port: PortCode,
      rank: z.number().int().describe('1 = the best index; ties share a rank; ports without data come last'),
      score: z.number().nullable(),
      grade: Grade.nullable(),
      trend: PortPerformance.shape.index.shape.trend,
    }),
  ),
  computedAt: Timestamp,
});

export type PerformanceQuery = z.infer<typeof PerformanceQuery>;
export type PortRanking = z.infer<typeof PortRanking>;
export type KpiReport = z.infer<typeof KpiReport>;
export type PortPerformance = z.infer<typeof PortPerformance>;
