import { KouanError } from '../errors';
import type { Assessment, Reason } from './assessment';
import { isStricter, type Lane, laneAtMost, stricterLane } from './lanes';

/**
 * Re-assessment and officer re-routing. New evidence (a radiation alarm, a missing container) re-runs `assess` for an
 * open declaration; `reassess` folds that fresh result into the standing one so that automation only ever makes
 * a lane stricter (red > yellow > blue > green) and never forgets a reason. Making a lane less strict is an
 * officer's decision, with a reason, through `relax` (or `reroute`).
 */

/** A decision that cannot be applied to an assessment. */
export class RiskDecisionError extends KouanError {}

/** Identity of a reason across assessments: the same rule with the same code. */
export function reasonKey(r: Pick<Reason, 'ruleId' | 'code'>): string {
  return `${r.ruleId}\u0000${r.code}`;
}

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] | undefined {
  if (a === undefined) return b === undefined ? undefined : [...b];
  const out = [...a];
  if (b !== undefined) for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

function copy(r: Reason): Reason {
  const out: Reason = { ...r };
  if (r.items !== undefined) out.items = [...r.items];
  if (r.evidenceIds !== undefined) out.evidenceIds = [...r.evidenceIds];
  return out;
}

/**
 * Folds a fresh assessment of the same declaration into the standing one.
 *
 * - Reasons accumulate: the standing reasons stay (they were true when the lane was set); a reason of the same rule
 *   and code is merged (evidence ids and items united, the higher weight and stricter lane kept); new ones follow.
 * - Score: the higher of the two.
 * - Lane without an officer override: the stricter of the two, so the lane only ever gets stricter.
 * - Lane after an officer override: the officer weighed the reasons known then, so only new information counts:
 *   the standing lane tightened by the reasons that are new (a new rule, or new evidence ids), never further than
 *   the fresh assessment itself went. Without new information the officer's decision stands.
 * - Draw, seed id, profile version and time: the fresh assessment's (re-assess with the seed the declaration was
 *   first assessed with, or the draw may differ).
 *
 * Idempotent: `reassess(a, next)` twice with the same `next` gives the same result, and `reassess(a, a)` is `a`.
 *
 * @throws RiskDecisionError `REASSESS_OTHER_DECLARATION` when the two are about different declarations.
 */
export function reassess(previous: Assessment, next: Assessment): Assessment {
  if (previous.declarationId !== next.declarationId) {
    throw new RiskDecisionError(
      'REASSESS_OTHER_DECLARATION',
      `cannot fold an assessment of ${next.declarationId} into one of ${previous.declarationId}`,
    );
  }
  const reasons = previous.reasons.map(copy);
  const byKey = new Map<string, Reason>();
  for (const r of reasons) byKey.set(reasonKey(r), r);

  let freshLane: Lane = 'green';
  for (const r of next.reasons) {
    const key = reasonKey(r);
    const standing = byKey.get(key);
    if (standing === undefined) {
      const added = copy(r);
      reasons.push(added);
      byKey.set(key, added);
      freshLane = stricterLane(freshLane, r.lane);
      continue;
    }
    const newEvidence = (r.evidenceIds ?? []).some((id) => !standing.evidenceIds?.includes(id));
    if (newEvidence) freshLane = stricterLane(freshLane, r.lane);
    standing.evidenceIds = union(standing.evidenceIds, r.evidenceIds);
    standing.items = union(standing.items, r.items);
    if (standing.evidenceIds === undefined) delete standing.evidenceIds;
    if (standing.items === undefined) delete standing.items;
    standing.weight = Math.max(standing.weight, r.weight);
    standing.lane = stricterLane(standing.lane, r.lane);
    standing.message = r.message;
    if (r.ruleVersion !== undefined) standing.ruleVersion = r.ruleVersion;
  }

  const lane =
    previous.override === undefined
      ? stricterLane(previous.lane, next.lane)
      : stricterLane(previous.lane, laneAtMost(freshLane, next.lane));

  const out: Assessment = {
    declarationId: previous.declarationId,
    lane,
    score: Math.max(previous.score, next.score),
    reasons,
    selectedBy: lane === previous.lane ? previous.selectedBy : next.selectedBy,
    aeo: next.aeo,
    randomDraw: next.randomDraw,
    randomSeedId: next.randomSeedId,
    profileVersion: next.profileVersion,
    assessedAt: next.assessedAt,
  };
  if (previous.override !== undefined) out.override = { ...previous.override };
  return out;
}

/** An officer's decision to move a declaration to another lane. */
export interface OfficerDecision {
  lane: Lane;
  /** The officer's id (JWT subject). */
  officer: string;
  /** Why, in words: required, it goes into the status history and the decision log. */
  reason: string;
  /** ISO-8601 time of the decision. */
  at: string;
}

/**
 * An officer moves the declaration to any lane (e.g. `inspect` after a tip-off, or green after an inspection
 * explained an alarm). The decision is recorded as the assessment's override; later automatic re-assessments
 * respect it and only tighten on new information.
 *
 * @throws RiskDecisionError `DECISION_REASON_REQUIRED` / `DECISION_OFFICER_REQUIRED` when either is blank.
 */
export function reroute(assessment: Assessment, decision: OfficerDecision): Assessment {
  if (decision.reason.trim() === '') {
    throw new RiskDecisionError('DECISION_REASON_REQUIRED', 'an officer re-routing needs a reason');
  }
  if (decision.officer.trim() === '') {
    throw new RiskDecisionError('DECISION_OFFICER_REQUIRED', 'an officer re-routing needs the officer');
  }
  return {
    ...assessment,
    reasons: assessment.reasons.map(copy),
    lane: decision.lane,
    override: {
      by: decision.officer,
      reason: decision.reason,
      at: decision.at,
      fromLane: assessment.lane,
      toLane: decision.lane,
    },
  };
}

/**
 * The only way a lane becomes less strict: an officer's decision with a reason. Refuses a "relaxation" that would
 * make the lane stricter (use `reroute` for that; it needs no special power).
 *
 * @throws RiskDecisionError `DECISION_NOT_A_RELAXATION` when `decision.lane` is stricter than the current lane,
 * and as `reroute`.
 */
export function relax(assessment: Assessment, decision: OfficerDecision): Assessment {
  if (isStricter(decision.lane, assessment.lane)) {
    throw new RiskDecisionError(
      'DECISION_NOT_A_RELAXATION',
      `${decision.lane} is stricter than the current lane ${assessment.lane}`,
    );
  }
  return reroute(assessment, decision);
}
