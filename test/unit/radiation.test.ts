import fc from 'fast-check';
import type { RpmScan } from '../../events/v1';
import {
  assessOccupancy,
  DEFAULT_RADIATION_RULE,
  gammaThresholdCps,
  InvalidRadiationRuleError,
  NORM_MAX_EXCESS_MULTIPLE,
  neutronThresholdCps,
} from '../../shared/domain/radiation';

const scan = (over: Partial<RpmScan> = {}): RpmScan => ({
  laneId: 'L1',
  occupancyId: 'occ-1',
  gammaCps: [100, 100, 100],
  gammaBackgroundCps: 100,
  neutronCps: [1, 1, 1],
  neutronBackgroundCps: 1,
  ...over,
});

describe('thresholds (hand-computed)', () => {
  it('background 100 cps: σ = 10, 4σ = 40 beats 15 % = 15, so the threshold is 140', () => {
    expect(gammaThresholdCps(100)).toBe(140);
  });

  it('background 10,000 cps: 15 % = 1,500 beats 4σ = 400, so the threshold is 11,500', () => {
    expect(gammaThresholdCps(10_000)).toBe(11_500);
  });

  it('the two terms cross where 0.15·B = 4·√B, at B ≈ 711 cps', () => {
    // 4/0.15 = 26.67 → B = 711.1: below it σ wins, above it the ratio wins.
    expect(gammaThresholdCps(400)).toBe(400 + 4 * 20);
    expect(gammaThresholdCps(2_500)).toBeCloseTo(2_500 * 1.15, 9);
  });

  it('neutron: background 4 cps → 4 + 5·2 = 14; background 0 uses the floor of 1 → 5', () => {
    expect(neutronThresholdCps(4)).toBe(14);
    expect(neutronThresholdCps(0)).toBe(5);
  });

  it('a zero gamma background (failing detector) still has a margin of 4 cps', () => {
    expect(gammaThresholdCps(0)).toBe(4);
  });
});

describe('assessOccupancy', () => {
  it('no alarm when every sample stays at or under the threshold (140 is not over 140)', () => {
    const a = assessOccupancy(scan({ gammaCps: [90, 120, 140, 140, 110] }));
    expect(a.alarm).toBe(false);
    expect(a.gamma).toEqual({
      alarm: false,
      backgroundCps: 100,
      thresholdCps: 140,
      peakCps: 140,
      samplesOver: 0,
      maxConsecutiveOver: 0,
    });
    expect(a.probableNorm).toBe(false);
  });

  it('a single-sample spike is noise: counted, not alarmed', () => {
    const a = assessOccupancy(scan({ gammaCps: [100, 400, 100, 141, 100] }));
    expect(a.gamma.samplesOver).toBe(2);
    expect(a.gamma.maxConsecutiveOver).toBe(1);
    expect(a.gamma.alarm).toBe(false);
    expect(a.alarm).toBe(false);
  });

  it('two consecutive samples over the threshold alarm', () => {
    const a = assessOccupancy(scan({ gammaCps: [100, 141, 142, 100] }));
    expect(a.gamma.alarm).toBe(true);
    expect(a.gamma.maxConsecutiveOver).toBe(2);
    expect(a.gamma.peakCps).toBe(142);
    expect(a.alarm).toBe(true);
  });

  it('a modest gamma-only alarm is flagged as probable NORM, and is still an alarm', () => {
    // Threshold margin 40; peak excess 60 < 2·40.
    const a = assessOccupancy(scan({ gammaCps: [150, 160, 155] }));
    expect(a.alarm).toBe(true);
    expect(a.probableNorm).toBe(true);
  });

  it('a strong gamma alarm is not NORM-like (excess at or above twice the margin)', () => {
    const a = assessOccupancy(scan({ gammaCps: [150, 100 + NORM_MAX_EXCESS_MULTIPLE * 40, 150] }));
    expect(a.alarm).toBe(true);
    expect(a.probableNorm).toBe(false);
  });

  it('a neutron alarm alone is an alarm, from one sample, and never NORM-like', () => {
    // Background 1 → threshold 1 + 5 = 6.
    const a = assessOccupancy(scan({ neutronCps: [1, 0, 7, 1], neutronBackgroundCps: 1 }));
    expect(a.gamma.alarm).toBe(false);
    expect(a.neutron).toEqual({ alarm: true, backgroundCps: 1, thresholdCps: 6, peakCps: 7 });
    expect(a.alarm).toBe(true);
    expect(a.probableNorm).toBe(false);
  });

  it('gamma and neutron together are not NORM-like even with a modest gamma excess', () => {
    const a = assessOccupancy(scan({ gammaCps: [150, 150], neutronCps: [9] }));
    expect(a.gamma.alarm && a.neutron.alarm).toBe(true);
    expect(a.probableNorm).toBe(false);
  });

  it('a monitor without neutron samples can still alarm on gamma and never on neutron', () => {
    const a = assessOccupancy(scan({ gammaCps: [300, 300], neutronCps: [] }));
    expect(a.neutron.alarm).toBe(false);
    expect(a.neutron.peakCps).toBe(0);
    expect(a.alarm).toBe(true);
  });

  it('a vehicle shadow (counts 40 % under background) is no alarm', () => {
    const a = assessOccupancy(scan({ gammaBackgroundCps: 1_000, gammaCps: [1_000, 600, 600, 650, 1_000] }));
    expect(a.alarm).toBe(false);
  });

  it('rain-raised background is followed through the device background, not alarmed', () => {
    // Background tracked at 3× a dry 800 cps: counts at 2,600–2,700 are within 15 %.
    const a = assessOccupancy(scan({ gammaBackgroundCps: 2_400, gammaCps: [2_600, 2_700, 2_650] }));
    expect(a.gamma.thresholdCps).toBeCloseTo(2_760, 9);
    expect(a.alarm).toBe(false);
  });

  it('applies a stricter or looser rule and records it in the assessment', () => {
    const rule = { gammaSigma: 3, gammaMinRatio: 0.1, gammaConsecutive: 3, neutronSigma: 4 };
    const a = assessOccupancy(scan({ gammaCps: [131, 131, 131] }), rule);
    expect(a.gamma.thresholdCps).toBe(130);
    expect(a.gamma.alarm).toBe(true);
    expect(a.rule).toEqual(rule);
    expect(assessOccupancy(scan({ gammaCps: [131, 131, 100] }), rule).alarm).toBe(false);
  });

  it('reports the default rule it used', () => {
    expect(assessOccupancy(scan()).rule).toEqual({
      gammaSigma: 4,
      gammaMinRatio: 0.15,
      gammaConsecutive: 2,
      neutronSigma: 5,
    });
  });

  it.each([
    { gammaConsecutive: 0 },
    { gammaConsecutive: 1.5 },
    { gammaSigma: -1 },
    { gammaMinRatio: Number.NaN },
    { neutronSigma: Number.POSITIVE_INFINITY },
  ])('refuses a rule that makes no sense: %o', (bad) => {
    expect(() => assessOccupancy(scan(), { ...DEFAULT_RADIATION_RULE, ...bad })).toThrow(InvalidRadiationRuleError);
  });
});

describe('properties', () => {
  const background = fc.double({ min: 0, max: 1e6, noNaN: true });
  const series = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });
  const occupancy = fc
    .record({
      gammaBackgroundCps: background,
      gammaCps: series,
      neutronBackgroundCps: fc.double({ min: 0, max: 50, noNaN: true }),
      neutronCps: fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { maxLength: 60 }),
    })
    .map((fields) => scan(fields));

  it('scaling counts up never turns an alarm into no alarm', () => {
    fc.assert(
      fc.property(occupancy, fc.double({ min: 1, max: 100, noNaN: true }), (s, k) => {
        const before = assessOccupancy(s);
        const after = assessOccupancy({
          ...s,
          gammaCps: s.gammaCps.map((c) => c * k),
          neutronCps: s.neutronCps.map((c) => c * k),
        });
        if (before.gamma.alarm) expect(after.gamma.alarm).toBe(true);
        if (before.neutron.alarm) expect(after.neutron.alarm).toBe(true);
        if (before.alarm) expect(after.alarm).toBe(true);
        expect(after.gamma.maxConsecutiveOver).toBeGreaterThanOrEqual(before.gamma.maxConsecutiveOver);
      }),
      { numRuns: 500 },
    );
  });

  it('counts at or below background never alarm', () => {
    fc.assert(
      fc.property(
        occupancy,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (s, fractions) => {
          const a = assessOccupancy({
            ...s,
            gammaCps: fractions.map((f) => f * s.gammaBackgroundCps),
            neutronCps: fractions.map((f) => f * s.neutronBackgroundCps),
          });
          expect(a.alarm).toBe(false);
          expect(a.gamma.samplesOver).toBe(0);
          expect(a.probableNorm).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the gamma threshold is above background by at least both the ratio and the σ margin', () => {
    fc.assert(
      fc.property(background, (b) => {
        const t = gammaThresholdCps(b);
        expect(t - b).toBeGreaterThanOrEqual(0.15 * b * (1 - 1e-12));
        expect(t - b).toBeGreaterThanOrEqual(4 * Math.sqrt(Math.max(b, 1)) * (1 - 1e-12));
      }),
    );
  });

  it('probableNorm implies a gamma-only alarm', () => {
    fc.assert(
      fc.property(occupancy, (s) => {
        const a = assessOccupancy(s);
        if (a.probableNorm) expect(a.gamma.alarm && !a.neutron.alarm && a.alarm).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
