import * as z from 'zod';
import { PortCode } from '../../../events/v1/topic';
import { KouanError } from '../errors';
import { Direction } from './criterion';
import { Lane } from './lanes';

/**
 * Office-level selectivity parameters (ASYCUDA keeps these per customs office and direction): random rates, quotas,
 * the "maximum hits with no selection", the AEO treatment, the random seed, and today's exchange rates. They change
 * on a different rhythm from the criteria, so they live apart from the profile.
 */

const Scope = {
  /** A UN/LOCODE, or `*` for every port. */
  port: z.union([z.literal('*'), PortCode]),
  /** A direction, or `*` for every direction. */
  direction: z.union([z.literal('*'), Direction]),
};
const Rate = z.number().min(0).max(1);

/** Minimum random-selection rate for a port and direction; the most specific entry wins. */
export const RandomRate = z.strictObject({
  ...Scope,
  /** Share of declarations selected at random, 0–1 (0.02 = 2 %). */
  rate: Rate,
  /** The lane a random selection sends the declaration to (at least); never green. */
  lane: Lane.exclude(['green']),
});
export type RandomRate = z.infer<typeof RandomRate>;

/**
 * Expected rates per lane for a port and direction, filled from would-be-green declarations in the precedence
 * red → yellow → blue. Absent lanes have no quota.
 */
export const LaneQuota = z.strictObject({
  ...Scope,
  red: Rate.optional(),
  yellow: Rate.optional(),
  blue: Rate.optional(),
});
export type LaneQuota = z.infer<typeof LaneQuota>;

/** Everything but the profile that `assess` needs; build it once and reuse the object (it is compiled and cached). */
export const SelectivitySettings = z.strictObject({
  /**
   * How many criteria a declaration may hit and still go green, when none of them targets red and none is
   * evidence-based. 0 (the default) means every hit selects.
   */
  maxHitsWithNoSelection: z.int().min(0).max(100),
  aeo: z.strictObject({
    /** Multiplies the weights of non-evidence criteria for an AEO trader (0.5 halves them). */
    scoreFactor: z.number().min(0).max(1),
    /** The strictest lane non-evidence criteria alone can give an AEO trader. */
    laneCap: Lane,
    /** Multiplies the random-selection rate for an AEO trader. */
    randomRateFactor: z.number().min(0).max(1),
  }),
  random: z.strictObject({
    /** Recorded on each assessment so an auditor knows which seed to recompute the draw with. */
    seedId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    /** Secret: whoever knows it and a declaration id can predict the draw. Keep it in a secret store; rotate it. */
    seed: z.string().min(16).max(256),
    rates: z.array(RandomRate).max(2000),
  }),
  quotas: z.array(LaneQuota).max(2000),
  /** USD per one unit of each currency, for value-range checks. */
  usdRates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive().refine(Number.isFinite)),
});
export type SelectivitySettings = z.infer<typeof SelectivitySettings>;

/** Settings that fail their schema. */
export class InvalidSelectivitySettingsError extends KouanError {
  constructor(message: string, details?: unknown) {
    super('SELECTIVITY_SETTINGS_INVALID', message, details);
  }
}

/** Settings indexed for per-call lookups without allocation. */
export interface CompiledSettings {
  readonly source: SelectivitySettings;
  randomRateFor(port: string, direction: Direction): RandomRate | undefined;
  quotaFor(port: string, direction: Direction): LaneQuota | undefined;
}

type ScopedIndex<T> = Map<string, Map<string, T>>;

function indexByScope<T extends { port: string; direction: string }>(entries: readonly T[]): ScopedIndex<T> {
  const index: ScopedIndex<T> = new Map();
  for (const e of entries) {
    let byDirection = index.get(e.port);
    if (byDirection === undefined) {
      byDirection = new Map();
      index.set(e.port, byDirection);
    }
    // The later entry wins on a duplicate scope, as a later line in a config file would.
    byDirection.set(e.direction, e);
  }
  return index;
}

/** Most specific first: this port and direction, this port any direction, any port this direction, any port any direction. */
function lookup<T>(index: ScopedIndex<T>, port: string, direction: string): T | undefined {
  const atPort = index.get(port);
  const atAny = index.get('*');
  return atPort?.get(direction) ?? atPort?.get('*') ?? atAny?.get(direction) ?? atAny?.get('*');
}

const compiled = new WeakMap<SelectivitySettings, CompiledSettings>();

/**
 * Validates and indexes settings once per object (cached by identity: treat settings objects as immutable and
 * build a new one to change anything).
 *
 * @throws InvalidSelectivitySettingsError when the settings fail their schema.
 */
export function compileSettings(settings: SelectivitySettings): CompiledSettings {
  const hit = compiled.get(settings);
  if (hit !== undefined) return hit;
  const parsed = SelectivitySettings.safeParse(settings);
  if (!parsed.success) {
    throw new InvalidSelectivitySettingsError(z.prettifyError(parsed.error), parsed.error.issues);
  }
  const rates = indexByScope(settings.random.rates);
  const quotas = indexByScope(settings.quotas);
  const out: CompiledSettings = {
    source: settings,
    randomRateFor: (port, direction) => lookup(rates, port, direction),
    quotaFor: (port, direction) => lookup(quotas, port, direction),
  };
  compiled.set(settings, out);
  return out;
}

/**
 * The defaults, documented in docs/risk-engine.md. The seed is the caller's: a default seed would be a public one.
 * - every hit selects (`maxHitsWithNoSelection` 0): the conservative reading until a port has hit-rate data;
 * - AEO: weights × 0.5, non-evidence criteria at most yellow, random rate × 0.5 (WTO TFA 7.7.3, RCEP Art. 4.13);
 * - random: 2 % of imports and 1 % of exports and transits to red, the sample that measures compliance without the
 *   bias of the criteria (red, because only a physical exam finds undeclared goods);
 * - no quotas.
 */
export function defaultSelectivitySettings(
  random: { seedId: string; seed: string },
  usdRates: Readonly<Record<string, number>>,
): SelectivitySettings {
  return {
    maxHitsWithNoSelection: 0,
    aeo: { scoreFactor: 0.5, laneCap: 'yellow', randomRateFactor: 0.5 },
    random: {
      ...random,
      rates: [
        { port: '*', direction: '*', rate: 0.01, lane: 'red' },
        { port: '*', direction: 'import', rate: 0.02, lane: 'red' },
      ],
    },
    quotas: [],
    usdRates: { ...usdRates },
  };
}
