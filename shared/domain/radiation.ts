import type { RpmScan } from '../../events/v1';
import { KouanError } from './errors';

/**
 * The alarm rule for one radiation portal monitor (RPM) occupancy. The device reports raw count rates; the
 * platform, not the device, decides alarm or no alarm (CONTRACT.md §2), so that one reviewed rule applies to every
 * lane of every port. The rule and its field reasoning are written out in docs/radiation-alarm-rule.md.
 */

/** Tunable parameters of the alarm rule. */
export interface RadiationRule {
  /** Gamma: how many Poisson standard deviations (σ = √background) above background a sample must be. */
  gammaSigma: number;
  /** Gamma: the least margin above background, as a fraction of background (0.15 = 15 %). */
  gammaMinRatio: number;
  /** Gamma: how many consecutive samples must exceed the threshold; fewer is treated as a noise spike. */
  gammaConsecutive: number;
  /** Neutron: how many Poisson standard deviations above background one sample must be. */
  neutronSigma: number;
}

/**
 * Field defaults: 4σ or 15 % above background, whichever is higher, on at least 2 consecutive gamma samples;
 * 5σ on any one neutron sample.
 */
export const DEFAULT_RADIATION_RULE: Readonly<RadiationRule> = Object.freeze({
  gammaSigma: 4,
  gammaMinRatio: 0.15,
  gammaConsecutive: 2,
  neutronSigma: 5,
});

/**
 * A gamma-only alarm whose peak excess over background is below this multiple of the threshold's own margin is
 * marked `probableNorm`: naturally occurring radioactive material (ceramics, granite, fertiliser, bananas) gives
 * modest, broad excesses, while a threat source shielded enough to be modest is exactly why the flag is only a
 * hint for the secondary-inspection officer and never clears an alarm.
 */
export const NORM_MAX_EXCESS_MULTIPLE = 2;

/** What the rule concluded for one occupancy, with the numbers that led there (kept as alert evidence). */
export interface RadiationAssessment {
  /** Gamma or neutron alarm: the occupancy goes to secondary inspection. */
  alarm: boolean;
  gamma: {
    alarm: boolean;
    backgroundCps: number;
    thresholdCps: number;
    peakCps: number;
    /** Samples strictly above the threshold, anywhere in the occupancy. */
    samplesOver: number;
    /** Longest run of consecutive samples strictly above the threshold. */
    maxConsecutiveOver: number;
  };
  neutron: { alarm: boolean; backgroundCps: number; thresholdCps: number; peakCps: number };
  /** A gamma-only alarm with a modest excess, the profile of a NORM nuisance alarm. A hint, never a verdict. */
  probableNorm: boolean;
  /** The rule that was applied, so the evidence can be re-checked later even after the defaults change. */
  rule: RadiationRule;
}

/** A rule whose parameters make no sense (negative, non-finite, or a non-integer run length). */
export class InvalidRadiationRuleError extends KouanError {
  constructor(message: string, details?: unknown) {
    super('RADIATION_RULE_INVALID', message, details);
  }
}

/**
 * The gamma alarm threshold for a background `backgroundCps`:
 * `background + max(gammaMinRatio · background, gammaSigma · √max(background, 1))`.
 *
 * The σ term is Poisson counting noise and dominates at low backgrounds; the ratio term dominates at high ones,
 * where slow drifts (rain, a vehicle's shadow) exceed counting noise. `max(background, 1)` keeps a zero reading
 * from a failing detector from setting a zero-margin threshold.
 *
 * @example gammaThresholdCps(100)    // 140    (σ = 10, 4σ = 40 > 15 % = 15)
 * @example gammaThresholdCps(10_000) // 11_500 (15 % = 1,500 > 4σ = 400)
 */
export function gammaThresholdCps(backgroundCps: number, rule: RadiationRule = DEFAULT_RADIATION_RULE): number {
  const sigmaMargin = rule.gammaSigma * Math.sqrt(Math.max(backgroundCps, 1));
  return backgroundCps + Math.max(rule.gammaMinRatio * backgroundCps, sigmaMargin);
}

/**
 * The neutron alarm threshold: `background + neutronSigma · √max(background, 1)`. Neutron backgrounds are a few
 * counts per second or less, so a ratio would be meaningless; the floor of 1 keeps a zero background from making a
 * single stray count an alarm.
 *
 * @example neutronThresholdCps(2) // 2 + 5·√2 ≈ 9.07
 */
export function neutronThresholdCps(backgroundCps: number, rule: RadiationRule = DEFAULT_RADIATION_RULE): number {
  return backgroundCps + rule.neutronSigma * Math.sqrt(Math.max(backgroundCps, 1));
}

function assertValidRule(rule: RadiationRule): void {
  const finiteNonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  if (
    !finiteNonNegative(rule.gammaSigma) ||
    !finiteNonNegative(rule.gammaMinRatio) ||
    !finiteNonNegative(rule.neutronSigma) ||
    !Number.isInteger(rule.gammaConsecutive) ||
    rule.gammaConsecutive < 1
  ) {
    throw new InvalidRadiationRuleError(
      'sigma and ratio must be finite and non-negative; gammaConsecutive an integer of at least 1',
      { rule },
    );
  }
}

/**
 * Decides alarm / no alarm for one RPM occupancy (`rpm.scan`).
 *
 * - **Gamma alarm** when at least `gammaConsecutive` consecutive samples of `gammaCps` are strictly above
 *   {@link gammaThresholdCps} of the device's pre-occupancy `gammaBackgroundCps`. One sample over is a spike and
 *   is counted in `samplesOver`, not alarmed.
 * - **Neutron alarm** when any sample of `neutronCps` is strictly above {@link neutronThresholdCps} of
 *   `neutronBackgroundCps` (no neutron samples: no neutron alarm).
 * - **probableNorm** when the alarm is gamma-only and the gamma peak's excess over background is below
 *   {@link NORM_MAX_EXCESS_MULTIPLE} times the threshold's margin.
 *
 * Every alarm, NORM-like or not, goes to secondary inspection; this function never clears one. Pure and O(samples),
 * called in the ingest path for every occupancy.
 *
 * @throws InvalidRadiationRuleError when `rule` has negative, non-finite or non-integer parameters.
 */
export function assessOccupancy(scan: RpmScan, rule: RadiationRule = DEFAULT_RADIATION_RULE): RadiationAssessment {
  assertValidRule(rule);

  const gammaBackground = scan.gammaBackgroundCps;
  const gammaThreshold = gammaThresholdCps(gammaBackground, rule);
  let gammaPeak = 0;
  let samplesOver = 0;
  let run = 0;
  let maxConsecutiveOver = 0;
  for (const cps of scan.gammaCps) {
    if (cps > gammaPeak) gammaPeak = cps;
    if (cps > gammaThreshold) {
      samplesOver++;
      run++;
      if (run > maxConsecutiveOver) maxConsecutiveOver = run;
    } else {
      run = 0;
    }
  }
  const gammaAlarm = maxConsecutiveOver >= rule.gammaConsecutive;

  const neutronBackground = scan.neutronBackgroundCps;
  const neutronThreshold = neutronThresholdCps(neutronBackground, rule);
  let neutronPeak = 0;
  for (const cps of scan.neutronCps) if (cps > neutronPeak) neutronPeak = cps;
  const neutronAlarm = neutronPeak > neutronThreshold;

  const probableNorm =
    gammaAlarm &&
    !neutronAlarm &&
    gammaPeak - gammaBackground < NORM_MAX_EXCESS_MULTIPLE * (gammaThreshold - gammaBackground);

  return {
    alarm: gammaAlarm || neutronAlarm,
    gamma: {
      alarm: gammaAlarm,
      backgroundCps: gammaBackground,
      thresholdCps: gammaThreshold,
      peakCps: gammaPeak,
      samplesOver,
      maxConsecutiveOver,
    },
    neutron: {
      alarm: neutronAlarm,
      backgroundCps: neutronBackground,
      thresholdCps: neutronThreshold,
      peakCps: neutronPeak,
    },
    probableNorm,
    rule: { ...rule },
  };
}
