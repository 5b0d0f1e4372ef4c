/** Inspections and finds counted for one key (a criterion id, or how a declaration was selected). */
export interface HitCount {
  inspections: number;
  finds: number;
}

/** One inspection result, as the hit-rate counters see it. */
export interface CountedInspection {
  /** Every distinct `ruleId` among the declaration's reasons (engine reasons such as RANDOM-SELECTION included). */
  ruleIds: readonly string[];
  /** What selected the declaration: `criteria`, `evidence`, `random`, `quota`, or `none` (an officer's choice). */
  selectedBy: string;
  found: boolean;
}

/**
 * The hit-rate feedback loop of the risk engine (DESIGN.md: "automatic hit-rate feedback from inspection results"):
 * counters per criterion and per selection source, each one item updated with an atomic ADD.
 */
export interface RuleHitStore {
  count(inspection: CountedInspection): Promise<void>;
  counts(): Promise<{ rules: Map<string, HitCount>; selection: Map<string, HitCount> }>;
}
