import { Lane } from '../../../events/v1/clearance-enums';

export { Lane };

/**
 * The four selectivity lanes of ASYCUDA (CONTRACT.md §3), from the least to the most strict:
 * - `green`: release;
 * - `blue`: release now, post-clearance audit later (the goods leave before anyone looks, so it sits below yellow);
 * - `yellow`: documentary check before release;
 * - `red`: physical inspection before release.
 *
 * The schema lists them in strictness order; every comparison below uses that order.
 */
export const LANES = Lane.options;

// A lookup table rather than LANES.indexOf: lane comparisons run several times per assessment.
const RANK: Readonly<Record<Lane, number>> = Object.freeze({ green: 0, blue: 1, yellow: 2, red: 3 });

/** 0 for green … 3 for red. */
export function laneRank(lane: Lane): number {
  return RANK[lane];
}

/** Negative when `a` is less strict than `b`, 0 when equal, positive when stricter (a sort comparator). */
export function compareLanes(a: Lane, b: Lane): number {
  return RANK[a] - RANK[b];
}

/** True when `a` is strictly stricter than `b` (red is stricter than yellow). */
export function isStricter(a: Lane, b: Lane): boolean {
  return RANK[a] > RANK[b];
}

/** The stricter of two lanes. */
export function stricterLane(a: Lane, b: Lane): Lane {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The less strict of two lanes: `lane` capped at `cap` (used for the AEO cap). */
export function laneAtMost(lane: Lane, cap: Lane): Lane {
  return RANK[lane] <= RANK[cap] ? lane : cap;
}

/** The strictest lane in a list; green for an empty list (no reason to stop the goods). */
export function strictestLane(lanes: Iterable<Lane>): Lane {
  let out: Lane = 'green';
  for (const lane of lanes) if (RANK[lane] > RANK[out]) out = lane;
  return out;
}
