import type { Assessment, Reason, SelectionSource } from './assessment';
import { type CompiledCriterion, compileProfile } from './compiled-profile';
import { buildFacts, type DeclarationFacts } from './declaration-facts';
import { isStricter, type Lane, laneAtMost, stricterLane } from './lanes';
import { hashSelectionRandom, type SelectionRandom } from './random-draw';
import type { RiskDeclaration, RiskEvidence } from './risk-input';
import type { RiskProfile } from './risk-profile';
import { type CompiledSettings, compileSettings, type SelectivitySettings } from './selectivity-settings';

/**
 * Selectivity on ASYCUDA's semantics (DESIGN.md): local criteria first, then random selection up to the minimum
 * random rate of the port and direction, then the optional expected-rate quotas taken from would-be-green
 * declarations in precedence red → yellow → blue. Pure: the clock, the draw and the quota counters come in.
 */

/**
 * Declarations assessed so far in the current quota window for this port and direction, by final lane, not counting
 * the one being assessed. The caller keeps them (a counter per port, direction and window).
 */
export interface QuotaCounts {
  assessed: number;
  red: number;
  yellow: number;
  blue: number;
}

/** What `assess` needs from outside besides its data. */
export interface AssessContext {
  /** The clock: the assessment time, and the date against which criteria validity is checked. */
  now(): Date;
  /** The random-selection draw. @default hashSelectionRandom */
  random?: SelectionRandom;
  /** Counters for quota selection; without them no quota applies. */
  quotaCounts?: QuotaCounts;
}

const QUOTA_PRECEDENCE = ['red', 'yellow', 'blue'] as const;

// Weights are integers but the AEO factor is not: keep scores to two decimals so 0.1 + 0.2 reads as 0.3.
const round2 = (x: number) => Math.round(x * 100) / 100;
const percent = (rate: number) => `${+(rate * 100).toFixed(3)} %`;

function itemsBehind(c: CompiledCriterion, facts: DeclarationFacts): number[] | undefined {
  const test = c.itemTest;
  if (test === undefined) return undefined;
  const out: number[] = [];
  for (const it of facts.items) if (test(facts, it)) out.push(it.number);
  return out.length > 0 ? out : undefined;
}

function evidenceBehind(c: CompiledCriterion, facts: DeclarationFacts): string[] | undefined {
  if (c.evidenceKeys.length === 0) return undefined;
  const out: string[] = [];
  for (const key of c.evidenceKeys) for (const id of facts.evidence[key].ids) if (!out.includes(id)) out.push(id);
  return out.length > 0 ? out : undefined;
}

function criterionReason(c: CompiledCriterion, weight: number, lane: Lane, facts: DeclarationFacts): Reason {
  const reason: Reason = {
    code: c.reasonCode,
    ruleId: c.id,
    weight,
    message: c.note,
    lane,
    ruleVersion: c.version,
  };
  const items = itemsBehind(c, facts);
  if (items !== undefined) reason.items = items;
  const evidenceIds = evidenceBehind(c, facts);
  if (evidenceIds !== undefined) reason.evidenceIds = evidenceIds;
  return reason;
}

function quotaSelection(
  declaration: RiskDeclaration,
  settings: CompiledSettings,
  counts: QuotaCounts,
): { lane: Lane; reason: Reason } | undefined {
  const quota = settings.quotaFor(declaration.port, declaration.direction);
  if (quota === undefined) return undefined;
  // Counting this declaration in: select it when, without it, the lane would stay under its expected share.
  const n = counts.assessed + 1;
  for (const lane of QUOTA_PRECEDENCE) {
    const expected = quota[lane];
    if (expected === undefined || !(counts[lane] < expected * n)) continue;
    return {
      lane,
      reason: {
        code: 'QUOTA_SELECTION',
        ruleId: `quota:${quota.port}:${quota.direction}`,
        weight: 0,
        message: `Selected to keep the ${lane} lane at its expected rate of ${percent(expected)} for ${declaration.direction} at ${declaration.port} (${counts[lane]} of ${counts.assessed} so far).`,
        lane,
      },
    };
  }
  return undefined;
}

/**
 * Assesses one declaration: its lane, score and reasons.
 *
 * 1. **Criteria** valid today (UTC date of `context.now()`), enabled, for its direction and port, in profile order;
 *    every hit is a reason. AEO traders: non-evidence weights × `aeo.scoreFactor`, non-evidence lanes capped at
 *    `aeo.laneCap` (WTO TFA 7.7.3(b), RCEP Art. 4.13); evidence-based criteria are never reduced or capped.
 * 2. **Score** = min(100, Σ reason weights).
 * 3. **Lane** = the strictest hit lane, except that a declaration with at most `maxHitsWithNoSelection` hits, none
 *    targeting red and none evidence-based (with a lane other than green), stays green.
 * 4. **Random selection**: draw = `random.draw(seed, declaration.id)`; when it is below the port and direction's rate
 *    (× `aeo.randomRateFactor` for AEOs) a `RANDOM_SELECTION` reason is added and the lane becomes at least the
 *    rate's lane. Every declaration draws, whatever the criteria said, so the random sample is unbiased.
 * 5. **Quotas**: a declaration still green (and not an AEO's) is taken for the first of red, yellow, blue whose
 *    count in `context.quotaCounts` is under its expected share (`QUOTA_SELECTION`).
 *
 * @param declaration validated at the edge; `id` must be the platform's stable id (it keys the random draw).
 * @param evidence device facts that may concern it; the engine matches them to its containers, truck and vessel.
 * @param profile compiled and validated on first use, then cached by object identity.
 * @param settings likewise.
 * @throws InvalidRiskProfileError, InvalidSelectivitySettingsError on the first use of an invalid profile or settings.
 */
export function assess(
  declaration: RiskDeclaration,
  evidence: RiskEvidence,
  profile: RiskProfile,
  settings: SelectivitySettings,
  context: AssessContext,
): Assessment {
  const compiled = compileProfile(profile);
  const s = compileSettings(settings);
  const config = s.source;
  const assessedAt = context.now().toISOString();
  const today = assessedAt.slice(0, 10);
  const facts = buildFacts(declaration, evidence, compiled.valueRanges, config.usdRates);
  const aeo = declaration.trader.aeo === true;
  const { scoreFactor, laneCap, randomRateFactor } = config.aeo;

  // 1–3: criteria.
  const reasons: Reason[] = [];
  let sum = 0;
  let hits = 0;
  let mustSelect = false;
  let criteriaLane: Lane = 'green';
  let evidenceLane: Lane = 'green';
  for (const c of compiled.byDirection[declaration.direction]) {
    if (c.validFrom > today || c.validTo < today) continue;
    if (c.ports !== null && !c.ports.has(declaration.port)) continue;
    if (!c.test(facts)) continue;
    hits++;
    let weight = c.weight;
    let lane = c.lane;
    if (c.evidenceBased) {
      evidenceLane = stricterLane(evidenceLane, lane);
      if (lane !== 'green') mustSelect = true;
    } else {
      if (lane === 'red') mustSelect = true;
      if (aeo) {
        weight = round2(weight * scoreFactor);
        lane = laneAtMost(lane, laneCap);
      }
      criteriaLane = stricterLane(criteriaLane, lane);
    }
    sum += weight;
    reasons.push(criterionReason(c, weight, lane, facts));
  }
  const score = Math.min(100, round2(sum));
  const withinNoSelection = hits <= config.maxHitsWithNoSelection && !mustSelect;
  let lane: Lane = withinNoSelection ? 'green' : stricterLane(criteriaLane, evidenceLane);
  let selectedBy: SelectionSource | null = null;
  if (lane !== 'green') selectedBy = lane === evidenceLane ? 'evidence' : 'criteria';

  // 4: random selection.
  const seed = config.random;
  const randomDraw = (context.random ?? hashSelectionRandom).draw(seed.seed, declaration.id);
  const random = s.randomRateFor(declaration.port, declaration.direction);
  if (random !== undefined) {
    const rate = aeo ? random.rate * randomRateFactor : random.rate;
    if (randomDraw < rate) {
      reasons.push({
        code: 'RANDOM_SELECTION',
        ruleId: `random:${random.port}:${random.direction}`,
        weight: 0,
        message: `Selected at random: draw ${randomDraw.toFixed(6)} is under the minimum random rate of ${percent(rate)} for ${declaration.direction} at ${declaration.port}.`,
        lane: random.lane,
      });
      if (isStricter(random.lane, lane)) {
        lane = random.lane;
        selectedBy = 'random';
      }
    }
  }

  // 5: quotas, from would-be-green declarations only.
  if (lane === 'green' && !aeo && context.quotaCounts !== undefined) {
    const pick = quotaSelection(declaration, s, context.quotaCounts);
    if (pick !== undefined) {
      reasons.push(pick.reason);
      lane = pick.lane;
      selectedBy = 'quota';
    }
  }

  return {
    declarationId: declaration.id,
    lane,
    score,
    reasons,
    selectedBy,
    aeo,
    randomDraw,
    randomSeedId: seed.seedId,
    profileVersion: compiled.version,
    assessedAt,
  };
}
