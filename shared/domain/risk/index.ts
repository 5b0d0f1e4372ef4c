/**
 * The risk engine: ASYCUDA-style selectivity as pure functions (no I/O). Wire it with `assess` at lodgement and
 * `reassess` when device evidence arrives; officers move lanes with `relax` / `reroute`. See docs/risk-engine.md.
 */
export type { Assessment, OfficerOverride, Reason, SelectionSource } from './assessment';
export { type CompiledCriterion, type CompiledProfile, compileProfile } from './compiled-profile';
export {
  CONDITION_FIELDS,
  CONDITION_LIMITS,
  Condition,
  type ConditionField,
  ConditionLeaf,
  conditionFields,
  Direction,
  ENGINE_REASON_CODES,
  isEvidenceCondition,
  ReasonCode,
  RiskCriterion,
  VALUE_RANGE_RESULTS,
  type ValueRangeResult,
} from './criterion';
export { DEFAULT_RISK_PROFILE, ELECTRONICS_WATCH_ORIGINS, REASON_CODES } from './default-profile';
export { compareLanes, isStricter, LANES, Lane, laneAtMost, laneRank, stricterLane, strictestLane } from './lanes';
export { hashDraw, hashSelectionRandom, type SelectionRandom } from './random-draw';
export { type OfficerDecision, RiskDecisionError, reasonKey, reassess, relax, reroute } from './reassess';
export type {
  GateSighting,
  GateWindowFact,
  NiiAnomalyFact,
  RadiationAlarmFact,
  RiskDeclaration,
  RiskDocument,
  RiskEvidence,
  RiskItem,
  TransportMode,
  UndeclaredContainerFact,
  VesselDarkFact,
} from './risk-input';
export { DIRECTIONS, NO_EVIDENCE } from './risk-input';
export { InvalidRiskProfileError, RiskProfile } from './risk-profile';
export { type AssessContext, assess, type QuotaCounts } from './selectivity';
export {
  type CompiledSettings,
  compileSettings,
  defaultSelectivitySettings,
  InvalidSelectivitySettingsError,
  LaneQuota,
  RandomRate,
  SelectivitySettings,
} from './selectivity-settings';
export { type UsdRates, ValueRange } from './value-range';
