import type { FactOf } from './facts';

/**
 * Equipment availability from status reports (crane telemetry, device heartbeats): the condition a report states
 * holds until the next report; time between two reports of one piece of equipment is observed time in the earlier
 * report's condition. Longer silences than `maxGapMs` are unobserved (neither up nor down). Closed stretches become
 * `equipment.interval` facts; one is emitted at each change of condition and at least every `flushMs`, so that an
 * hour's availability is known soon after the hour.
 */
export interface AvailabilityRule {
  maxGapMs: number;
  flushMs: number;
}

export const DEFAULT_AVAILABILITY_RULE: AvailabilityRule = { maxGapMs: 3_600_000, flushMs: 900_000 };

export interface EquipmentState {
  equipmentId: string;
  equipmentType: string;
  condition: FactOf<'equipment.report'>['condition'];
  /** Start of the stretch not yet emitted. */
  since: string;
  lastAt: string;
}

export interface EquipmentStep {
  state: EquipmentState;
  intervals: FactOf<'equipment.interval'>[];
  transition: boolean;
}

export function stepEquipment(
  previous: EquipmentState | undefined,
  r: FactOf<'equipment.report'>,
  rule: AvailabilityRule = DEFAULT_AVAILABILITY_RULE,
): EquipmentStep {
  const fresh: EquipmentState = {
    equipmentId: r.equipmentId,
    equipmentType: r.equipmentType,
    condition: r.condition,
    since: r.at,
    lastAt: r.at,
  };
  if (!previous) return { state: fresh, intervals: [], transition: true };
  const at = Date.parse(r.at);
  if (at <= Date.parse(previous.lastAt)) return { state: previous, intervals: [], transition: false };
  const interval = (to: string): FactOf<'equipment.interval'> => ({
    type: 'equipment.interval',
    port: r.port,
    equipmentId: previous.equipmentId,
    equipmentType: previous.equipmentType,
    condition: previous.condition,
    from: previous.since,
    at: to,
  });
  if (at - Date.parse(previous.lastAt) > rule.maxGapMs) {
    // The silence is unobserved: close what was seen before it, start afresh.
    const closed = previous.lastAt > previous.since ? [interval(previous.lastAt)] : [];
    return { state: fresh, intervals: closed, transition: true };
  }
  if (r.condition !== previous.condition || at - Date.parse(previous.since) >= rule.flushMs) {
    return { state: fresh, intervals: [interval(r.at)], transition: true };
  }
  return { state: { ...previous, lastAt: r.at }, intervals: [], transition: false };
}
