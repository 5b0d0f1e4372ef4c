import fc from 'fast-check';
import {
  aggregate,
  type Bucket,
  computeKpis,
  deserialiseBucket,
  emptyBucket,
  hourOf,
  mergeInto,
  type PerformanceFact,
  SKETCH_RELATIVE_ACCURACY,
  StoredBucketSum,
  serialiseBucket,
} from '../../shared/domain/performance';

// Buckets merged over a period equal a direct computation on the raw facts: exactly for counts and ratios, within
// the sketch's relative accuracy for quantiles (against the exact order statistic at rank ⌊q·(n − 1)⌋).
const START = Date.parse('2026-11-01T00:00:00Z');
const HOURS = 72;
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const released = fc
  .record({
    end: fc.integer({ min: 0, max: HOURS * H - 1 }),
    duration: fc.integer({ min: 0, max: 96 * H }),
    slack: fc.integer({ min: -10 * H, max: 10 * H }),
    lane: fc.constantFrom('green', 'yellow', 'red', 'blue'),
  })
  .map(
    (r): PerformanceFact => ({
      type: 'declaration.released',
      port: 'CNSGH',
      declarationId: `d${r.end}`,
      at: iso(START + r.end),
      lodgedAt: iso(START + r.end - r.duration),
      slaDueAt: iso(START + r.end + r.slack),
      lane: r.lane,
      direction: 'import',
      mode: 'sea',
    }),
  );
const visit = fc
  .record({ end: fc.integer({ min: 0, max: HOURS * H - 1 }), duration: fc.integer({ min: 1000, max: 8 * H }) })
  .map(
    (r): PerformanceFact => ({
      type: 'gate.visit',
      port: 'CNSGH',
      visitId: `v${r.end}`,
      plate: 'P',
      laneIn: 'L1',
      inAt: iso(START + r.end - r.duration),
      at: iso(START + r.end),
    }),
  );
const occupancy = fc.record({ at: fc.integer({ min: 0, max: HOURS * H - 1 }), alarm: fc.boolean() }).map(
  (r): PerformanceFact => ({
    type: 'rpm.occupancy',
    port: 'CNSGH',
    occupancyId: `o${r.at}`,
    alarm: r.alarm,
    at: iso(START + r.at),
  }),
);
const result = fc
  .record({ at: fc.integer({ min: 0, max: HOURS * H - 1 }), found: fc.boolean(), random: fc.boolean() })
  .map(
    (r): PerformanceFact => ({
      type: 'inspection.result',
      port: 'CNSGH',
      declarationId: `i${r.at}`,
      at: iso(START + r.at),
      found: r.found,
      ruleIds: ['R1'],
      selection: r.random ? 'random' : 'targeted',
    }),
  );
const facts = fc.array(fc.oneof(released, visit, occupancy, result), { minLength: 1, maxLength: 400 });

/** The facts folded per hour, each hour stored and read back, then merged in a shuffled order. */
function mergedOverPeriod(all: PerformanceFact[], order: number[]): Bucket {
  const hours = new Map<string, Bucket>();
  for (const f of all) {
    const h = hourOf(f.at);
    const b = hours.get(h) ?? emptyBucket();
    hours.set(h, aggregate(b, f));
  }
  const stored = [...hours.values()].map((b) => JSON.parse(JSON.stringify(serialiseBucket(b))));
  const shuffled = stored.map((s, i) => [order[i % order.length] ?? 0, s] as const).sort((a, b) => a[0] - b[0]);
  // Half the time decode each hour and merge sketches, half the time add the stored forms up (the API's path).
  if ((order[0] ?? 0) % 2 === 0) {
    const merged = emptyBucket();
    for (const [, s] of shuffled) mergeInto(merged, deserialiseBucket(s));
    return merged;
  }
  const sum = new StoredBucketSum();
  for (const [, s] of shuffled) sum.add(s);
  return sum.toBucket();
}

const orderStatistic = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))];
};

describe('merged hour buckets versus the raw facts', () => {
  it('agree exactly on counts and ratios and within α on quantiles', () => {
    fc.assert(
      fc.property(facts, fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (all, order) => {
        const kpis = computeKpis(mergedOverPeriod(all, order), HOURS);
        const get = (id: string) => kpis.items.find((k) => k.id === id);
        const of = <T extends PerformanceFact['type']>(t: T) =>
          all.filter((f): f is Extract<PerformanceFact, { type: T }> => f.type === t);

        const rel = of('declaration.released');
        const within = rel.filter((f) => Date.parse(f.at) <= Date.parse(f.slaDueAt)).length;
        expect(get('sla.release.compliance')?.n).toBe(rel.length);
        expect(get('sla.release.compliance')?.value).toBe(rel.length ? within / rel.length : null);

        const occ = of('rpm.occupancy');
        expect(get('rpm.alarm.rate')?.n).toBe(occ.length);
        expect(get('rpm.alarm.rate')?.value).toBe(occ.length ? occ.filter((o) => o.alarm).length / occ.length : null);

        const res = of('inspection.result');
        expect(get('inspection.hit_rate')?.value).toBe(
          res.length ? res.filter((r) => r.found).length / res.length : null,
        );

        const checkQuantile = (id: string, durations: number[], q: number, unit: number) => {
          const k = get(id);
          expect(k?.n).toBe(durations.length);
          const exact = orderStatistic(durations, q);
          if (exact === undefined) return expect(k?.value).toBeNull();
          const got = (k?.value ?? Number.NaN) * unit;
          expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * SKETCH_RELATIVE_ACCURACY * (1 + 1e-9) + 1e-6);
        };
        const releaseMs = rel.map((f) => Date.parse(f.at) - Date.parse(f.lodgedAt));
        checkQuantile('clearance.release.median_h', releaseMs, 0.5, H);
        checkQuantile('clearance.release.p90_h', releaseMs, 0.9, H);
        const turnMs = of('gate.visit').map((f) => Date.parse(f.at) - Date.parse(f.inAt));
        checkQuantile('gate.turnaround.median_min', turnMs, 0.5, 60_000);
      }),
      { numRuns: 150 },
    );
  });

  it('is a commutative monoid: merging in any grouping gives the same bucket', () => {
    fc.assert(
      fc.property(facts, fc.nat({ max: 399 }), (all, cut) => {
        const a = all.slice(0, cut % all.length);
        const b = all.slice(cut % all.length);
        const whole = serialiseBucket(all.reduce(aggregate, emptyBucket()));
        const ab = serialiseBucket(mergeInto(b.reduce(aggregate, emptyBucket()), a.reduce(aggregate, emptyBucket())));
        expect(Object.keys(ab.s).sort()).toEqual(Object.keys(whole.s).sort());
        expect(ab.c).toEqual(whole.c);
        for (const k of Object.keys(whole.s)) {
          // Same bins and counts; the float sum may differ in its last bits with the order of additions.
          const strip = (s: number[] | undefined) => s?.filter((_, i) => i !== 1);
          expect(strip(ab.s[k])).toEqual(strip(whole.s[k]));
        }
      }),
      { numRuns: 100 },
    );
  });
});
