import * as z from 'zod';
import { RiskCriterion } from '../../shared/domain/risk/criterion';

/** `PUT /v1/risk/rules/{ruleId}`: the criterion's id (a path parameter distinct from declaration ids). */
export const RiskRulePath = z.strictObject({
  ruleId: z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,63}$/, 'a criterion id: UPPER-CASE letters, digits, - and _'),
});

/** Inspections with a result, and how many found something; `hitRate` = finds / inspections (null before any). */
export const HitRate = z.strictObject({
  inspections: z.int().min(0),
  finds: z.int().min(0),
  hitRate: z.number().min(0).max(1).nullable(),
});

/**
 * Optimistic concurrency for edits: when given, the edit applies only if the profile in force is still at this
 * revision (409 `RISK_RULES_STALE` otherwise), so an editor never overwrites a change it has not seen.
 */
export const RiskRuleEditQuery = z.strictObject({
  expectedRevision: z.coerce.number().int().min(1).optional(),
});

/**
 * The selectivity profile in force (`GET /v1/risk/rules`, and the answer to every edit): its version (recorded on
 * every assessment as `profileVersion`), its revision number in the rule store, and its criteria.
 */
export const RiskRules = z.strictObject({
  version: z.string(),
  revision: z.int().min(1),
  publishedAt: z.iso.datetime(),
  publishedBy: z.string(),
  criteria: z.array(RiskCriterion),
  /** Per criterion of the profile (and engine reasons such as RANDOM-SELECTION that were inspected), by `ruleId`. */
  hitRates: z.array(HitRate.extend({ ruleId: z.string() })),
  /** Per selection source (`criteria`, `evidence`, `random`, `quota`, `none`): random vs targeted. */
  selection: z.array(HitRate.extend({ selectedBy: z.string() })),
});
export type RiskRules = z.infer<typeof RiskRules>;
