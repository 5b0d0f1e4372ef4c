import type { Lane } from './lanes';

/**
 * The outcome of selectivity for one declaration: the lane, the score and every reason, with what is needed to
 * reproduce it (profile version, random draw and seed id, time). CONTRACT.md §3 returns `lane`, `score`, `reasons`
 * (`{ code, ruleId, weight, message }`) and `assessedAt`; the other fields extend it for officers and auditors.
 */

/** One hit: a criterion that matched, or the engine's random or quota selection. */
export interface Reason {
  /** Stable machine-readable code, e.g. `RPM_ALARM`, `RANDOM_SELECTION`. */
  code: string;
  /** The criterion id; `random:{port}:{direction}` or `quota:{port}:{direction}` for the engine's own selections. */
  ruleId: string;
  /** What it added to the score (after the AEO factor, where that applies); 0 for random and quota selections. */
  weight: number;
  /** The criterion's plain-language note for officers. */
  message: string;
  /** The lane this hit asks for (after the AEO cap, where that applies). */
  lane: Lane;
  /** The criterion version that matched. */
  ruleVersion?: number;
  /** 1-based numbers of the items behind the hit, when the criterion is about items. */
  items?: number[];
  /** Ids of the device facts (alerts, scans, gate window, AIS gap) behind an evidence-based hit. */
  evidenceIds?: string[];
}

/** What made the lane what it is. */
export type SelectionSource = 'evidence' | 'criteria' | 'random' | 'quota';

/** An officer's re-routing, the only way a lane becomes less strict. */
export interface OfficerOverride {
  /** The officer's id (JWT subject). */
  by: string;
  reason: string;
  /** ISO-8601 time of the decision. */
  at: string;
  fromLane: Lane;
  toLane: Lane;
}

export interface Assessment {
  declarationId: string;
  lane: Lane;
  /** 0–100: min(100, Σ reason weights). */
  score: number;
  /** Hits in evaluation order: criteria in profile order, then random, then quota. */
  reasons: Reason[];
  /**
   * The source of the lane; null when the lane is green, including when hits stayed within the "maximum hits with no
   * selection".
   */
  selectedBy: SelectionSource | null;
  /** The trader was an AEO and the AEO treatment applied. */
  aeo: boolean;
  /** The random draw in [0, 1), a function of (seed, declaration id): recomputable by an auditor. */
  randomDraw: number;
  /** Which seed the draw used. */
  randomSeedId: string;
  profileVersion: string;
  /** ISO-8601, from the injected clock. */
  assessedAt: string;
  /** The latest officer re-routing, if any; automatic re-assessment respects it (see reassess.ts). */
  override?: OfficerOverride;
}
