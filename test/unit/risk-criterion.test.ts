import fc from 'fast-check';
import {
  CONDITION_LIMITS,
  compileProfile,
  DEFAULT_RISK_PROFILE,
  InvalidRiskProfileError,
  RiskCriterion,
  RiskProfile,
} from '../../shared/domain/risk';

const valid = {
  id: 'TEST-RULE',
  version: 1,
  validFrom: '2026-01-01',
  directions: ['import'],
  ports: 'all',
  condition: { field: 'items.hsCode', op: 'startsWith', value: '93' },
  lane: 'red',
  weight: 50,
  reasonCode: 'TEST_CODE',
  note: 'A test rule.',
  enabled: true,
};

const refused = (input: unknown) => RiskCriterion.safeParse(input).success === false;

describe('RiskCriterion schema', () => {
  it('accepts a well-formed criterion', () => {
    expect(RiskCriterion.safeParse(valid).success).toBe(true);
  });

  it('accepts every default criterion, and the default profile as a whole', () => {
    for (const c of DEFAULT_RISK_PROFILE.criteria) expect(RiskCriterion.safeParse(c).error).toBeUndefined();
    expect(RiskProfile.safeParse(DEFAULT_RISK_PROFILE).error).toBeUndefined();
  });

  it('refuses an unknown operator', () => {
    expect(refused({ ...valid, condition: { field: 'items.hsCode', op: 'regex', value: '.*' } })).toBe(true);
  });

  it('refuses a weight over 100, under 0, or not an integer', () => {
    expect(refused({ ...valid, weight: 101 })).toBe(true);
    expect(refused({ ...valid, weight: -1 })).toBe(true);
    expect(refused({ ...valid, weight: 12.5 })).toBe(true);
  });

  it('refuses an unknown field (no path into arbitrary data)', () => {
    expect(refused({ ...valid, condition: { field: 'trader.__proto__', op: 'eq', value: 'x' } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'constructor', op: 'eq', value: 'x' } })).toBe(true);
  });

  it('refuses an operator that does not fit the field type', () => {
    expect(refused({ ...valid, condition: { field: 'items.hsCode', op: 'gt', value: 5 } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'items.valueUsd', op: 'startsWith', value: '9' } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'trader.aeo', op: 'in', value: ['true'] } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'items.hsCode', op: 'eq', value: 930190 } })).toBe(true);
  });

  it('refuses a value-range test for a value that cannot occur', () => {
    expect(refused({ ...valid, condition: { field: 'items.valueRange', op: 'eq', value: 'low' } })).toBe(true);
  });

  it('refuses between with low above high, and non-finite numbers', () => {
    expect(refused({ ...valid, condition: { field: 'items.quantity', op: 'between', value: [10, 1] } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'items.quantity', op: 'gt', value: Number.NaN } })).toBe(true);
    expect(refused({ ...valid, condition: { field: 'items.quantity', op: 'gt', value: Infinity } })).toBe(true);
  });

  it('refuses unknown keys anywhere (strict objects)', () => {
    expect(refused({ ...valid, script: 'x' })).toBe(true);
    expect(refused({ ...valid, condition: { ...valid.condition, eval: 'x' } })).toBe(true);
    expect(refused({ ...valid, condition: { all: [valid.condition], extra: 1 } })).toBe(true);
  });

  it('refuses the reason codes the engine reserves for itself', () => {
    expect(refused({ ...valid, reasonCode: 'RANDOM_SELECTION' })).toBe(true);
    expect(refused({ ...valid, reasonCode: 'QUOTA_SELECTION' })).toBe(true);
    expect(refused({ ...valid, reasonCode: 'lower_case' })).toBe(true);
  });

  it('refuses validTo before validFrom, and dates that are not ISO dates', () => {
    expect(refused({ ...valid, validTo: '2025-12-31' })).toBe(true);
    expect(refused({ ...valid, validFrom: '01/01/2026' })).toBe(true);
  });

  it('refuses an empty direction list, a bad port code and an unknown lane', () => {
    expect(refused({ ...valid, directions: [] })).toBe(true);
    expect(refused({ ...valid, ports: ['cnsgh'] })).toBe(true);
    expect(refused({ ...valid, lane: 'orange' })).toBe(true);
  });

  it('refuses anyItem nested in anyItem', () => {
    expect(refused({ ...valid, condition: { anyItem: { anyItem: valid.condition } } })).toBe(true);
  });

  it('refuses a condition nested deeper than the limit, even thousands deep, without overflowing the stack', () => {
    let deep: unknown = valid.condition;
    for (let i = 0; i < CONDITION_LIMITS.maxDepth; i++) deep = { not: deep };
    expect(refused({ ...valid, condition: deep })).toBe(true);
    let veryDeep: unknown = valid.condition;
    for (let i = 0; i < 50_000; i++) veryDeep = { all: [veryDeep] };
    const result = RiskCriterion.safeParse({ ...valid, condition: veryDeep });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('too large or too deeply nested');
  });

  it('accepts a condition at the depth limit', () => {
    let c: unknown = valid.condition;
    for (let i = 1; i < CONDITION_LIMITS.maxDepth; i++) c = { not: c };
    expect(RiskCriterion.safeParse({ ...valid, condition: c }).error).toBeUndefined();
  });

  it('property: a criterion with an operator outside the language is refused', () => {
    const ops = new Set(['eq', 'in', 'startsWith', 'gt', 'lt', 'between', 'inList']);
    fc.assert(
      fc.property(
        fc.string().filter((op) => !ops.has(op)),
        fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())),
        (op, value) => refused({ ...valid, condition: { field: 'items.hsCode', op, value } }),
      ),
    );
  });

  it('property: a weight outside 0–100 or not an integer is refused; inside, accepted', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 101 }),
          fc.integer({ max: -1 }),
          fc.double({ noInteger: true }),
          fc.constantFrom(Number.NaN, Infinity),
        ),
        (weight) => refused({ ...valid, weight }),
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (weight) => RiskCriterion.safeParse({ ...valid, weight }).success),
    );
  });
});

describe('RiskProfile schema', () => {
  const profile = (over: Partial<Record<string, unknown>>) => ({
    version: 'p1',
    criteria: [valid],
    lists: {},
    valueRanges: [],
    ...over,
  });

  it('refuses duplicate criterion ids', () => {
    expect(RiskProfile.safeParse(profile({ criteria: [valid, valid] })).success).toBe(false);
  });

  it('refuses an inList test of a list the profile does not have', () => {
    const c = { ...valid, condition: { field: 'items.originCountry', op: 'inList', value: 'watch' } };
    expect(RiskProfile.safeParse(profile({ criteria: [c] })).success).toBe(false);
    expect(RiskProfile.safeParse(profile({ criteria: [c], lists: { watch: ['AA'] } })).success).toBe(true);
  });

  it('refuses value ranges with min ≥ max, a per-unit range without its unit, or a duplicate prefix', () => {
    const r = { hsPrefix: '8703', basis: 'unit', unit: 'PCE', minUsd: 1, maxUsd: 2, note: 'n' };
    expect(RiskProfile.safeParse(profile({ valueRanges: [r] })).success).toBe(true);
    expect(RiskProfile.safeParse(profile({ valueRanges: [{ ...r, minUsd: 3 }] })).success).toBe(false);
    expect(RiskProfile.safeParse(profile({ valueRanges: [{ ...r, unit: undefined }] })).success).toBe(false);
    expect(RiskProfile.safeParse(profile({ valueRanges: [r, r] })).success).toBe(false);
  });

  it('compileProfile refuses an invalid profile with a typed error', () => {
    const bad = profile({ criteria: [{ ...valid, weight: 150 }] }) as unknown as RiskProfile;
    expect(() => compileProfile(bad)).toThrow(InvalidRiskProfileError);
    expect(() => compileProfile(bad)).toThrow(expect.objectContaining({ code: 'RISK_PROFILE_INVALID' }));
  });

  it('compileProfile compiles a profile once (cached by identity)', () => {
    expect(compileProfile(DEFAULT_RISK_PROFILE)).toBe(compileProfile(DEFAULT_RISK_PROFILE));
  });
});
