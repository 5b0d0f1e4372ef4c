import fc from 'fast-check';
import {
  type AssessContext,
  assess,
  CONDITION_FIELDS,
  Condition,
  compileProfile,
  DEFAULT_RISK_PROFILE,
  DIRECTIONS,
  defaultSelectivitySettings,
  ELECTRONICS_WATCH_ORIGINS,
  hashDraw,
  LANES,
  laneRank,
  type RiskCriterion,
  type RiskDeclaration,
  type RiskEvidence,
  RiskProfile,
  reasonKey,
  reassess,
  relax,
  type SelectivitySettings,
} from '../../shared/domain/risk';

/**
 * The engine's invariants (issue 3): a further hit never lowers the score or relaxes the lane; the random selection
 * rate converges to its setting; the same seed gives the same lanes; re-assessment never relaxes; and the condition
 * language is safe on any input.
 */

const AT = '2026-03-01T07:00:00.000Z';
const NOW = new Date('2026-03-01T08:00:00.000Z');
const ctx: AssessContext = { now: () => NOW };
const CONTAINERS = ['CSQU3054383', 'ECMU4657496', 'TGHU7599330'];
const PLATES = ['HU-A 12345', 'SU-B 777'];
// One HS code for each default rule and value range, and some that hit nothing.
const HS = [
  '930200',
  '360200',
  '284161',
  '010121',
  '060210',
  '847130',
  '851713',
  '880622',
  '940360',
  '610910',
  '870323',
  '240220',
  '710812',
  '030389',
  '720851',
  '842199',
];

const item = fc.record({
  hsCode: fc.constantFrom(...HS),
  originCountry: fc.constantFrom('VN', 'CN', 'DE', 'AA'),
  quantity: fc.integer({ min: 0, max: 500 }),
  unit: fc.constantFrom('PCE', 'KGM'),
  grossWeightKg: fc.double({ min: 0, max: 30_000, noNaN: true }),
  customsValue: fc.record({
    amount: fc.double({ min: 0, max: 2_000_000, noNaN: true }),
    currency: fc.constantFrom('USD', 'EUR', 'CNY', 'XAU'),
  }),
});

const declaration: fc.Arbitrary<RiskDeclaration> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 24 }),
  port: fc.constantFrom('CNSGH', 'NLRTM'),
  direction: fc.constantFrom(...DIRECTIONS),
  trader: fc.record({ id: fc.constant('TR-1'), country: fc.constantFrom('CN', 'DE'), aeo: fc.boolean() }),
  transport: fc.record(
    {
      mode: fc.constantFrom('sea' as const, 'road' as const),
      vesselMmsi: fc.constantFrom(477_123_456, 412_000_001),
      vesselImo: fc.constantFrom('9321483', '9000001'),
      truckPlate: fc.constantFrom(...PLATES),
    },
    { requiredKeys: ['mode'] },
  ),
  containers: fc.subarray(CONTAINERS),
  items: fc.array(item, { minLength: 1, maxLength: 4 }),
  documents: fc.subarray([
    { type: 'invoice', ref: 'I' },
    { type: 'phytosanitary', ref: 'P' },
    { type: 'veterinary', ref: 'V' },
  ]),
  perishable: fc.boolean(),
});

const factId = fc.string({ minLength: 1, maxLength: 6 });
const onBox = fc.record(
  { id: factId, at: fc.constant(AT), containers: fc.subarray(CONTAINERS), plate: fc.constantFrom(...PLATES) },
  { requiredKeys: ['id', 'at'] },
);
const evidence: fc.Arbitrary<RiskEvidence> = fc.record(
  {
    radiationAlarms: fc.array(onBox, { maxLength: 2 }),
    niiAnomalies: fc.array(onBox, { maxLength: 2 }),
    gateWindow: fc.record({
      id: factId,
      at: fc.constant(AT),
      seen: fc.subarray(CONTAINERS).map((cs) => cs.map((container, i) => ({ id: `g${i}`, at: AT, container }))),
    }),
    undeclaredContainers: fc.array(
      fc.record({
        id: factId,
        at: fc.constant(AT),
        container: fc.constantFrom(...CONTAINERS),
        plate: fc.constantFrom(...PLATES),
      }),
      { maxLength: 2 },
    ),
    vesselDark: fc.array(
      fc.record({ id: factId, at: fc.constant(AT), mmsi: fc.constantFrom(477_123_456, 412_000_001) }),
      {
        maxLength: 1,
      },
    ),
  },
  { requiredKeys: [] },
);

const lane = fc.constantFrom(...LANES);
const settings: fc.Arbitrary<SelectivitySettings> = fc.record({
  maxHitsWithNoSelection: fc.integer({ min: 0, max: 3 }),
  aeo: fc.record({
    scoreFactor: fc.double({ min: 0, max: 1, noNaN: true }),
    laneCap: lane,
    randomRateFactor: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  random: fc.record({
    seedId: fc.constant('prop'),
    seed: fc.string({ minLength: 16, maxLength: 40 }),
    rates: fc.array(
      fc.record({
        port: fc.constantFrom('*', 'CNSGH'),
        direction: fc.constantFrom('*' as const, ...DIRECTIONS),
        rate: fc.double({ min: 0, max: 0.3, noNaN: true }),
        lane: fc.constantFrom('blue' as const, 'yellow' as const, 'red' as const),
      }),
      { maxLength: 3 },
    ),
  }),
  quotas: fc.constant([]),
  usdRates: fc.constant({ EUR: 1.1, CNY: 0.14 }),
});

/** Leaves over every kind of field, some of which always hold, so the extra criterion often hits. */
const leaf = fc.oneof(
  fc.constant({ field: 'items.count', op: 'gt', value: 0 } as const),
  fc.constant({ field: 'evidence.rpmAlarms', op: 'gt', value: 0 } as const),
  fc.constant({ field: 'evidence.containersNotSeenAtGate', op: 'gt', value: 0 } as const),
  fc.constantFrom(...HS).map((h) => ({ field: 'items.hsCode', op: 'startsWith', value: h.slice(0, 2) }) as const),
  fc.constantFrom('CN', 'DE').map((c) => ({ field: 'trader.country', op: 'eq', value: c }) as const),
  fc.constantFrom('invoice', 'veterinary').map((t) => ({ field: 'documents.type', op: 'eq', value: t }) as const),
  fc
    .double({ min: 0, max: 100_000, noNaN: true })
    .map((v) => ({ field: 'items.valueUsd', op: 'gt', value: v }) as const),
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  leaf,
  fc.array(leaf, { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
  fc.array(leaf, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
  leaf.map((l) => ({ not: l })),
  leaf.map((l) => ({ anyItem: l })),
);
const extraCriterion: fc.Arbitrary<RiskCriterion> = fc.record({
  id: fc.constant('EXTRA'),
  version: fc.constant(1),
  validFrom: fc.constant('2020-01-01'),
  directions: fc.constant([...DIRECTIONS]),
  ports: fc.constant('all' as const),
  condition,
  lane,
  weight: fc.integer({ min: 0, max: 100 }),
  reasonCode: fc.constant('EXTRA_HIT'),
  note: fc.constant('extra'),
  enabled: fc.constant(true),
});

let version = 0;
const profileOf = (criteria: RiskCriterion[]): RiskProfile => ({
  version: `prop-${++version}`,
  criteria,
  lists: { [ELECTRONICS_WATCH_ORIGINS]: ['AA'] },
  valueRanges: DEFAULT_RISK_PROFILE.valueRanges,
});
const defaultSubset = fc.subarray(DEFAULT_RISK_PROFILE.criteria as RiskCriterion[]);

describe('risk engine properties', () => {
  it('a further hit never lowers the score or relaxes the lane', () => {
    fc.assert(
      fc.property(
        declaration,
        evidence,
        settings,
        defaultSubset,
        extraCriterion,
        fc.nat(),
        (d, e, s, criteria, extra, at) => {
          const without = profileOf(criteria);
          const withExtra = profileOf(criteria.toSpliced(at % (criteria.length + 1), 0, extra));
          const before = assess(d, e, without, s, ctx);
          const after = assess(d, e, withExtra, s, ctx);
          expect(after.score).toBeGreaterThanOrEqual(before.score);
          expect(laneRank(after.lane)).toBeGreaterThanOrEqual(laneRank(before.lane));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('more evidence never lowers the score or relaxes the lane', () => {
    fc.assert(
      fc.property(declaration, evidence, evidence, settings, (d, e1, e2, s) => {
        const both: RiskEvidence = {
          radiationAlarms: [...(e1.radiationAlarms ?? []), ...(e2.radiationAlarms ?? [])],
          niiAnomalies: [...(e1.niiAnomalies ?? []), ...(e2.niiAnomalies ?? [])],
          undeclaredContainers: [...(e1.undeclaredContainers ?? []), ...(e2.undeclaredContainers ?? [])],
          vesselDark: [...(e1.vesselDark ?? []), ...(e2.vesselDark ?? [])],
          ...(e1.gateWindow ? { gateWindow: e1.gateWindow } : {}),
        };
        const before = assess(d, e1, DEFAULT_RISK_PROFILE, s, ctx);
        const after = assess(d, both, DEFAULT_RISK_PROFILE, s, ctx);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(laneRank(after.lane)).toBeGreaterThanOrEqual(laneRank(before.lane));
      }),
      { numRuns: 300 },
    );
  });

  it('the score is min(100, Σ reason weights), within 0–100', () => {
    fc.assert(
      fc.property(declaration, evidence, settings, (d, e, s) => {
        const a = assess(d, e, DEFAULT_RISK_PROFILE, s, ctx);
        const sum = a.reasons.reduce((t, r) => t + r.weight, 0);
        expect(a.score).toBeGreaterThanOrEqual(0);
        expect(a.score).toBeLessThanOrEqual(100);
        expect(a.score).toBeCloseTo(Math.min(100, sum), 6);
      }),
      { numRuns: 300 },
    );
  });

  it('the random selection rate converges to its setting (10,000 declarations, 5 σ)', () => {
    const n = 10_000;
    const empty = profileOf([]);
    fc.assert(
      fc.property(
        fc.string({ minLength: 16, maxLength: 40 }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.string({ maxLength: 8 }),
        (seed, rate, prefix) => {
          const s: SelectivitySettings = {
            ...defaultSelectivitySettings({ seedId: 'conv', seed }, {}),
            random: { seedId: 'conv', seed, rates: [{ port: '*', direction: '*', rate, lane: 'yellow' }] },
          };
          const base: RiskDeclaration = {
            id: '',
            port: 'CNSGH',
            direction: 'import',
            trader: { id: 'TR', country: 'CN' },
            transport: { mode: 'sea' },
            containers: [],
            items: [],
          };
          let selected = 0;
          for (let i = 0; i < n; i++) {
            const a = assess({ ...base, id: `${prefix}${i}` }, {}, empty, s, ctx);
            if (a.reasons.some((r) => r.code === 'RANDOM_SELECTION')) selected++;
          }
          const sd = Math.sqrt((rate * (1 - rate)) / n);
          expect(Math.abs(selected / n - rate)).toBeLessThanOrEqual(5 * sd);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('the draw of 10,000 random (UUID) declaration ids selects 5 % ± 1.1 points, and is uniform across deciles', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16 }),
        fc.uniqueArray(fc.uuid(), { minLength: 10_000, maxLength: 10_000 }),
        (seed, ids) => {
          const draws = ids.map((id) => hashDraw(seed, id));
          const share = draws.filter((u) => u < 0.05).length / ids.length;
          expect(Math.abs(share - 0.05)).toBeLessThanOrEqual(0.011);
          const deciles = new Array<number>(10).fill(0);
          for (const u of draws) deciles[Math.floor(u * 10)] = (deciles[Math.floor(u * 10)] ?? 0) + 1;
          // 1,000 expected per decile, σ ≈ 30.
          for (const count of deciles) expect(Math.abs(count - 1_000)).toBeLessThanOrEqual(150);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('the same seed gives the same lanes and draws, in any order and after recompiling', () => {
    fc.assert(
      fc.property(fc.array(declaration, { minLength: 1, maxLength: 20 }), evidence, settings, (ds, e, s) => {
        const first = ds.map((d) => assess(d, e, DEFAULT_RISK_PROFILE, s, ctx));
        // Fresh copies force a new compile of profile and settings; reversed order shows no hidden state.
        const profile = structuredClone(DEFAULT_RISK_PROFILE);
        const again = structuredClone(s);
        const second = [...ds]
          .reverse()
          .map((d) => assess(d, e, profile, again, ctx))
          .reverse();
        expect(second.map((a) => [a.lane, a.randomDraw, a.score])).toEqual(
          first.map((a) => [a.lane, a.randomDraw, a.score]),
        );
        expect(second).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('reassess never relaxes, keeps every reason, and never lowers the score', () => {
    fc.assert(
      fc.property(declaration, evidence, evidence, settings, settings, (d, e1, e2, s1, s2) => {
        const a = assess(d, e1, DEFAULT_RISK_PROFILE, s1, ctx);
        const b = assess(d, e2, DEFAULT_RISK_PROFILE, s2, ctx);
        const r = reassess(a, b);
        expect(laneRank(r.lane)).toBeGreaterThanOrEqual(Math.max(laneRank(a.lane), laneRank(b.lane)));
        expect(r.score).toBeGreaterThanOrEqual(Math.max(a.score, b.score));
        const keys = new Set(r.reasons.map(reasonKey));
        for (const reason of [...a.reasons, ...b.reasons]) expect(keys.has(reasonKey(reason))).toBe(true);
        expect(reassess(r, b)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it('over any sequence of evidence, the folded lane never gets less strict; after an officer’s relaxation, never below it', () => {
    fc.assert(
      fc.property(
        declaration,
        fc.array(evidence, { minLength: 1, maxLength: 6 }),
        settings,
        lane,
        fc.nat(5),
        (d, es, s, officerLane, relaxAt) => {
          let standing = assess(d, {}, DEFAULT_RISK_PROFILE, s, ctx);
          es.forEach((e, i) => {
            if (i === relaxAt && laneRank(officerLane) <= laneRank(standing.lane)) {
              standing = relax(standing, { lane: officerLane, officer: 'o-1', reason: 'inspected', at: AT });
            }
            const next = reassess(standing, assess(d, e, DEFAULT_RISK_PROFILE, s, ctx));
            expect(laneRank(next.lane)).toBeGreaterThanOrEqual(laneRank(standing.lane));
            standing = next;
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the condition language is safe on any input: refused or compiled, never thrown or evaluated as code', () => {
    const d: RiskDeclaration = {
      id: 'X',
      port: 'CNSGH',
      direction: 'import',
      trader: { id: 'T', country: 'CN' },
      transport: { mode: 'sea' },
      containers: [],
      items: [
        {
          hsCode: '930200',
          originCountry: 'VN',
          quantity: 1,
          unit: 'PCE',
          grossWeightKg: 1,
          customsValue: { amount: 1, currency: 'USD' },
        },
      ],
    };
    const s = defaultSelectivitySettings({ seedId: 'x', seed: 'x'.repeat(16) }, {});
    // Trees shaped like conditions: leaves with real fields and operators and plausible or arbitrary values, and
    // junk (bogus fields, operators, keys, arbitrary JSON) mixed in.
    const field = fc.constantFrom(...(Object.keys(CONDITION_FIELDS) as (keyof typeof CONDITION_FIELDS)[]));
    const text = fc.string({ minLength: 1, maxLength: 4 });
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const plausibleLeaf = fc.oneof(
      fc.record({ field, op: fc.constant('eq'), value: fc.oneof(text, num, fc.boolean()) }),
      fc.record({ field, op: fc.constant('in'), value: fc.array(fc.oneof(text, num), { minLength: 1, maxLength: 3 }) }),
      fc.record({
        field,
        op: fc.constant('startsWith'),
        value: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
      }),
      fc.record({ field, op: fc.constantFrom('gt', 'lt'), value: num }),
      fc.record({ field, op: fc.constant('between'), value: fc.tuple(num, num) }),
      fc.record({ field, op: fc.constant('inList'), value: fc.constantFrom('a', 'missing') }),
    );
    const junkLeaf = fc.oneof(
      fc.record({ field: fc.string(), op: fc.string(), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { arbitrary: plausibleLeaf, weight: 6 },
        { arbitrary: junkLeaf, weight: 1 },
        { arbitrary: fc.record({ all: fc.array(tie('tree'), { maxLength: 3 }) }), weight: 1 },
        { arbitrary: fc.record({ any: fc.array(tie('tree'), { maxLength: 3 }) }), weight: 1 },
        { arbitrary: fc.record({ not: tie('tree') }), weight: 1 },
        { arbitrary: fc.record({ anyItem: tie('tree') }), weight: 1 },
      ),
    }));
    let accepted = 0;
    fc.assert(
      fc.property(tree, (raw) => {
        const parsed = Condition.safeParse(raw);
        if (!parsed.success) return;
        accepted++;
        const criterion: RiskCriterion = {
          ...(DEFAULT_RISK_PROFILE.criteria[0] as RiskCriterion),
          condition: parsed.data,
        };
        const profile: RiskProfile = {
          version: 'fuzz',
          criteria: [criterion],
          lists: { a: ['CNSGH'] },
          valueRanges: [],
        };
        // A condition may be well-formed and still be refused by its profile (an inList of a missing list).
        if (!RiskProfile.safeParse(profile).success) return;
        expect(() => compileProfile(profile)).not.toThrow();
        expect(() => assess(d, {}, profile, s, ctx)).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
    // The accepting branch must have run, or the property says nothing about compiled conditions.
    expect(accepted).toBeGreaterThan(50);
  });
});
