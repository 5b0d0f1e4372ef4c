import * as z from 'zod';
import { KouanError } from '../errors';
import { conditionLists, RiskCriterion } from './criterion';
import { ValueRange } from './value-range';

/**
 * A risk profile: one versioned set of selectivity criteria with the named lists they refer to and the value-range
 * table. It is the unit the engine compiles, and its `version` is recorded on every assessment so that a lane can be
 * traced to the exact rules that produced it.
 */
export const RiskProfile = z
  .strictObject({
    /** Changes whenever any criterion, list or range changes (the rule store bumps it). */
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    criteria: z.array(RiskCriterion).max(2000),
    /** Named lists for `inList` (e.g. `electronics-watch-origins`): intelligence edited without editing rules. */
    lists: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.array(z.string().min(1).max(64)).max(10_000)),
    valueRanges: z.array(ValueRange).max(20_000),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.criteria.forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({ code: 'custom', message: `duplicate criterion id ${c.id}`, path: ['criteria', i] });
      ids.add(c.id);
      for (const name of conditionLists(c.condition)) {
        if (!Object.hasOwn(p.lists, name)) {
          ctx.addIssue({ code: 'custom', message: `unknown list '${name}'`, path: ['criteria', i, 'condition'] });
        }
      }
    });
    const prefixes = new Set<string>();
    p.valueRanges.forEach((r, i) => {
      if (prefixes.has(r.hsPrefix)) {
        ctx.addIssue({ code: 'custom', message: `duplicate hsPrefix ${r.hsPrefix}`, path: ['valueRanges', i] });
      }
      prefixes.add(r.hsPrefix);
    });
  });
export type RiskProfile = z.infer<typeof RiskProfile>;

/** A profile that fails its schema; `details` holds the zod issues. */
export class InvalidRiskProfileError extends KouanError {
  constructor(message: string, details?: unknown) {
    super('RISK_PROFILE_INVALID', message, details);
  }
}
