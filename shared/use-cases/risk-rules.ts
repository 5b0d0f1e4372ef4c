import type { RiskRules } from '../../events/v1/risk-rules';
import type { Caller } from '../domain/caller';
import { ConflictError } from '../domain/errors';
import { InvalidRiskProfileError, type RiskCriterion, RiskProfile } from '../domain/risk';
import { StaleWriteError } from '../ports/declaration-store';
import type { RiskRuleStore, StoredRiskProfile } from '../ports/risk-rule-store';
import type { HitCount, RuleHitStore } from '../ports/rule-hit-store';
import { NotFoundError } from './port-queries';

/**
 * Selectivity criteria as data (issue 3, DESIGN.md): `customs-risk` reads and edits them through `/v1/risk/rules`;
 * every edit publishes a new profile (a new object with a new version: the engine caches compiled profiles by
 * identity), and lodgement assesses with the newest one. Revision 1 is the seed profile, written on first read.
 */

/** What the risk-rule use cases need, injected once per cold start by the API handler. */
export interface RiskRuleDependencies {
  store: RiskRuleStore;
  /** The profile written as revision 1 when the store is empty (DEFAULT_RISK_PROFILE in production). */
  seed: RiskProfile;
  /** The inspection-result counters behind the hit rates. */
  hits: RuleHitStore;
  now?: () => Date;
}

/** Two edits raced for the same revision: read the rules again and retry. */
export class RiskRulesConflictError extends ConflictError {
  constructor(revision: number) {
    super('RISK_RULES_CONFLICT', `revision ${revision} of the risk rules was published concurrently; read and retry`);
  }
}

export class RiskRuleExistsError extends ConflictError {
  constructor(id: string) {
    super('RISK_RULE_EXISTS', `criterion ${id} exists already; replace it with PUT /v1/risk/rules/${id}`);
  }
}

/** The editor read an older revision than the one in force (`?expectedRevision=`). */
export class RiskRulesStaleError extends ConflictError {
  constructor(expected: number, actual: number) {
    super('RISK_RULES_STALE', `the rules are at revision ${actual}, not ${expected}: read them again`);
  }
}

/** Optional optimistic check of an edit against the revision the editor read. */
export interface EditOptions {
  expectedRevision?: number | undefined;
}

async function latestForEdit(deps: RiskRuleDependencies, options: EditOptions): Promise<StoredRiskProfile> {
  const from = await latest(deps);
  if (options.expectedRevision !== undefined && options.expectedRevision !== from.revision) {
    throw new RiskRulesStaleError(options.expectedRevision, from.revision);
  }
  return from;
}

const SEED_PUBLISHER = 'kouan';

/** The profile version of a revision after the seed: traceable from an assessment's `profileVersion` to the store. */
export const revisionVersion = (revision: number): string => `rules-r${revision}`;

async function seeded(deps: Pick<RiskRuleDependencies, 'store' | 'seed' | 'now'>): Promise<StoredRiskProfile> {
  const seed: StoredRiskProfile = {
    revision: 1,
    profile: deps.seed,
    publishedAt: (deps.now ?? (() => new Date()))().toISOString(),
    publishedBy: SEED_PUBLISHER,
  };
  try {
    await deps.store.publish(seed);
    return seed;
  } catch (e) {
    // Another process seeded first: idempotent, read what it wrote.
    if (!(e instanceof StaleWriteError)) throw e;
    const stored = await deps.store.get(1);
    if (stored === undefined) throw e;
    return stored;
  }
}

/** The newest revision, seeding the store on first use. */
async function latest(deps: Pick<RiskRuleDependencies, 'store' | 'seed' | 'now'>): Promise<StoredRiskProfile> {
  const revision = await deps.store.latestRevision();
  if (revision === undefined) return seeded(deps);
  const stored = await deps.store.get(revision);
  if (stored === undefined) throw new Error(`risk profile revision ${revision} vanished`);
  return stored;
}

/**
 * The profile in force for lodgement, cached in the process by revision: one cheap read per call, and the same
 * profile object (so the same compiled profile) until a new revision is published.
 */
export function currentProfileSource(
  deps: Pick<RiskRuleDependencies, 'store' | 'seed' | 'now'>,
): () => Promise<RiskProfile> {
  let cached: StoredRiskProfile | undefined;
  return async () => {
    const revision = await deps.store.latestRevision();
    if (cached !== undefined && revision === cached.revision) return cached.profile;
    cached = revision === undefined ? await seeded(deps) : await latest(deps);
    return cached.profile;
  };
}

const rate = (c: HitCount | undefined) => {
  const inspections = c?.inspections ?? 0;
  const finds = c?.finds ?? 0;
  return { inspections, finds, hitRate: inspections > 0 ? finds / inspections : null };
};

async function view(deps: RiskRuleDependencies, s: StoredRiskProfile): Promise<RiskRules> {
  const { rules, selection } = await deps.hits.counts();
  const ruleIds = [...new Set([...s.profile.criteria.map((c) => c.id), ...rules.keys()])];
  return {
    version: s.profile.version,
    revision: s.revision,
    publishedAt: s.publishedAt,
    publishedBy: s.publishedBy,
    criteria: s.profile.criteria,
    hitRates: ruleIds.map((ruleId) => ({ ruleId, ...rate(rules.get(ruleId)) })),
    selection: [...selection.keys()].sort().map((selectedBy) => ({ selectedBy, ...rate(selection.get(selectedBy)) })),
  };
}

/** The rules in force with the hit rate of each criterion and of each selection source. */
export async function getRiskRules(deps: RiskRuleDependencies): Promise<RiskRules> {
  return view(deps, await latest(deps));
}

/** Validates the whole next profile (duplicate ids, unknown lists) and publishes it as the next revision. */
async function publishNext(
  deps: RiskRuleDependencies,
  caller: Caller,
  from: StoredRiskProfile,
  criteria: RiskCriterion[],
): Promise<RiskRules> {
  const revision = from.revision + 1;
  const candidate = { ...from.profile, version: revisionVersion(revision), criteria };
  const checked = RiskProfile.safeParse(candidate);
  if (!checked.success) {
    throw new InvalidRiskProfileError(
      'the rules would not form a valid profile',
      checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const next: StoredRiskProfile = {
    revision,
    profile: checked.data,
    publishedAt: (deps.now ?? (() => new Date()))().toISOString(),
    publishedBy: caller.sub,
  };
  try {
    await deps.store.publish(next);
  } catch (e) {
    if (e instanceof StaleWriteError) throw new RiskRulesConflictError(revision);
    throw e;
  }
  return view(deps, next);
}

/** Adds a criterion (its `version` starts at 1) as a new profile revision. A taken id is a 409. */
export async function addRiskRule(
  deps: RiskRuleDependencies,
  caller: Caller,
  criterion: RiskCriterion,
  options: EditOptions = {},
): Promise<RiskRules> {
  const from = await latestForEdit(deps, options);
  if (from.profile.criteria.some((c) => c.id === criterion.id)) throw new RiskRuleExistsError(criterion.id);
  return publishNext(deps, caller, from, [...from.profile.criteria, { ...criterion, version: 1 }]);
}

/**
 * Replaces a criterion (disable it with `enabled: false`) as a new profile revision; its `version` becomes the
 * stored one plus 1 whatever the body says, so a reason's `ruleVersion` always names one text of the rule.
 */
export async function replaceRiskRule(
  deps: RiskRuleDependencies,
  caller: Caller,
  id: string,
  criterion: RiskCriterion,
  options: EditOptions = {},
): Promise<RiskRules> {
  const from = await latestForEdit(deps, options);
  const old = from.profile.criteria.find((c) => c.id === id);
  if (old === undefined) throw new NotFoundError('risk rule', id);
  if (criterion.id !== id) {
    throw new InvalidRiskProfileError(`the body's id ${criterion.id} is not the path's ${id}`, [
      { path: 'id', message: `must be ${id}` },
    ]);
  }
  const criteria = from.profile.criteria.map((c) => (c.id === id ? { ...criterion, version: old.version + 1 } : c));
  return publishNext(deps, caller, from, criteria);
}
