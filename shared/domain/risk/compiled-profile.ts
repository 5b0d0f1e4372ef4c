import * as z from 'zod';
import { compileCondition, compileItemCondition, evidenceKey } from './compile-condition';
import { conditionFields, type RiskCriterion } from './criterion';
import type { DeclarationFacts, EvidenceKey, ItemFacts } from './declaration-facts';
import type { Lane } from './lanes';
import { DIRECTIONS, type Direction } from './risk-input';
import { InvalidRiskProfileError, RiskProfile } from './risk-profile';
import { compileValueRanges, type ValueRangeTable } from './value-range';

/** A criterion ready to run: its condition as a closure and its scope as sets. */
export interface CompiledCriterion {
  readonly source: RiskCriterion;
  readonly id: string;
  readonly version: number;
  readonly reasonCode: string;
  readonly note: string;
  readonly lane: Lane;
  readonly weight: number;
  readonly validFrom: string;
  /** `9999-12-31` when open-ended, so the validity test is two string comparisons. */
  readonly validTo: string;
  /** Null for every port. */
  readonly ports: ReadonlySet<string> | null;
  /** Reads device evidence: AEO status neither reduces nor caps it. */
  readonly evidenceBased: boolean;
  /** The evidence kinds its condition reads, whose fact ids go into its reasons. */
  readonly evidenceKeys: readonly EvidenceKey[];
  readonly test: (facts: DeclarationFacts) => boolean;
  /** Names the items behind a hit, when the condition is about items. */
  readonly itemTest: ((facts: DeclarationFacts, item: ItemFacts) => boolean) | undefined;
}

/** A profile ready to run: enabled criteria split by direction (profile order kept), and the value-range table. */
export interface CompiledProfile {
  readonly version: string;
  readonly byDirection: Readonly<Record<Direction, readonly CompiledCriterion[]>>;
  readonly valueRanges: ValueRangeTable;
}

function compileCriterion(c: RiskCriterion, lists: Readonly<Record<string, readonly string[]>>): CompiledCriterion {
  const predicate = compileCondition(c.condition, lists);
  const evidenceKeys: EvidenceKey[] = [];
  for (const f of conditionFields(c.condition)) {
    const key = evidenceKey(f);
    if (key !== undefined) evidenceKeys.push(key);
  }
  return {
    source: c,
    id: c.id,
    version: c.version,
    reasonCode: c.reasonCode,
    note: c.note,
    lane: c.lane,
    weight: c.weight,
    validFrom: c.validFrom,
    validTo: c.validTo ?? '9999-12-31',
    ports: c.ports === 'all' ? null : new Set(c.ports),
    evidenceBased: evidenceKeys.length > 0,
    evidenceKeys,
    test: (facts) => predicate(facts, undefined),
    itemTest: compileItemCondition(c.condition, lists),
  };
}

const cache = new WeakMap<RiskProfile, CompiledProfile>();

/**
 * Validates a profile and compiles it into closures, once per profile object (cached by identity: profiles are
 * treated as immutable; a changed rule set is a new profile object with a new version).
 *
 * @throws InvalidRiskProfileError when the profile fails its schema (bad operator, weight over 100, unknown list…).
 */
export function compileProfile(profile: RiskProfile): CompiledProfile {
  const hit = cache.get(profile);
  if (hit !== undefined) return hit;
  const parsed = RiskProfile.safeParse(profile);
  if (!parsed.success) throw new InvalidRiskProfileError(z.prettifyError(parsed.error), parsed.error.issues);
  const p = parsed.data;
  const enabled = p.criteria.filter((c) => c.enabled).map((c) => compileCriterion(c, p.lists));
  const byDirection = {} as Record<Direction, CompiledCriterion[]>;
  for (const d of DIRECTIONS) byDirection[d] = enabled.filter((c) => c.source.directions.includes(d));
  const out: CompiledProfile = {
    version: p.version,
    byDirection,
    valueRanges: compileValueRanges(p.valueRanges),
  };
  cache.set(profile, out);
  return out;
}
