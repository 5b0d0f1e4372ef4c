import * as z from 'zod';

/**
 * The facts a port-performance KPI needs (CONTRACT.md §4), each a small self-contained record: it carries every time
 * its durations need (a release carries its lodgement time), so that folding facts into hour buckets needs no state
 * and no lookup. Facts come from the device stream (ingest hook), the customs decision points (`PerformanceRecorder`)
 * and the incident workflow. Times are ISO-8601 (`observedAt` of events, the platform's own decision times).
 */
const Iso = z.iso.datetime({ offset: true });
const Port = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/);

export const ClearanceLane = z.enum(['green', 'yellow', 'red', 'blue']);
export const ClearanceDirection = z.enum(['import', 'export', 'transit']);
export const TransportMode = z.enum(['sea', 'road', 'rail', 'air']);
/** Random selection (ASYCUDA's minimum random rate) versus everything targeted (criteria, evidence, quota, officer). */
export const SelectionKind = z.enum(['random', 'targeted']);

const declaration = { port: Port, declarationId: z.string().min(1).max(64), at: Iso };
const routing = { direction: ClearanceDirection, mode: TransportMode };

export const DeclarationLodged = z.object({ type: z.literal('declaration.lodged'), ...declaration, ...routing });
export const DeclarationAssessed = z.object({
  type: z.literal('declaration.assessed'),
  ...declaration,
  ...routing,
  lodgedAt: Iso,
  lane: ClearanceLane,
  /** Criteria hit by the assessment (reason `ruleId`s): the denominator of "inspections sent per rule". */
  ruleIds: z.array(z.string()).default([]),
  selection: SelectionKind,
});
export const InspectionStarted = z.object({
  type: z.literal('inspection.started'),
  ...declaration,
  /** When the declaration became ready for inspection (its assessment, or the re-route). */
  readyAt: Iso,
  lane: z.enum(['yellow', 'red']),
});
export const InspectionResult = z.object({
  type: z.literal('inspection.result'),
  ...declaration,
  startedAt: Iso.optional(),
  found: z.boolean(),
  ruleIds: z.array(z.string()).default([]),
  selection: SelectionKind,
});
export const DeclarationReleased = z.object({
  type: z.literal('declaration.released'),
  ...declaration,
  ...routing,
  lodgedAt: Iso,
  /** End of the stage before release (the assessment, or the inspection's result); absent = the lodgement. */
  readyAt: Iso.optional(),
  slaDueAt: Iso,
  lane: ClearanceLane,
});
export const GateTransactionFact = z.object({
  type: z.literal('gate.transaction'),
  port: Port,
  /** `{deviceId}/{messageId}`: one fact per device message. */
  transactionId: z.string().min(1),
  laneId: z.string().min(1),
  direction: z.enum(['in', 'out']),
  plate: z.string(),
  at: Iso,
});
export const GateVisitCompleted = z.object({
  type: z.literal('gate.visit'),
  port: Port,
  visitId: z.string().min(1),
  plate: z.string(),
  laneIn: z.string().optional(),
  laneOut: z.string().optional(),
  inAt: Iso,
  /** Gate-out. */
  at: Iso,
});
export const AisPosition = z.object({
  type: z.literal('ais.position'),
  port: Port,
  mmsi: z.number().int(),
  lat: z.number(),
  lon: z.number(),
  sog: z.number(),
  at: Iso,
});
export const VesselCall = z.object({
  type: z.literal('vessel.call'),
  port: Port,
  mmsi: z.number().int(),
  /** First report inside the port polygon below 5 kn. */
  arrivalAt: Iso,
  /** First report at a berth; absent for a call that never berthed (anchorage only). */
  berthAt: Iso.optional(),
  berthId: z.string().optional(),
  /** Last report of the call (departure). */
  at: Iso,
});
export const RadiationOccupancy = z.object({
  type: z.literal('rpm.occupancy'),
  port: Port,
  occupancyId: z.string().min(1),
  laneId: z.string().optional(),
  alarm: z.boolean(),
  at: Iso,
});
export const EquipmentCondition = z.enum(['ok', 'fault', 'maintenance']);
/** A status report (telemetry or heartbeat): input of the availability state machine, not counted itself. */
export const EquipmentReport = z.object({
  type: z.literal('equipment.report'),
  port: Port,
  equipmentId: z.string().min(1),
  equipmentType: z.string(),
  condition: EquipmentCondition,
  at: Iso,
});
/** A closed interval of one condition: what availability is computed from. */
export const EquipmentInterval = z.object({
  type: z.literal('equipment.interval'),
  port: Port,
  equipmentId: z.string().min(1),
  equipmentType: z.string(),
  condition: EquipmentCondition,
  from: Iso,
  at: Iso,
});
export const IncidentRaised = z.object({
  type: z.literal('incident.raised'),
  port: Port,
  incidentId: z.string().min(1),
  incidentType: z.string().optional(),
  at: Iso,
});
export const IncidentFirstAck = z.object({
  type: z.literal('incident.acknowledged'),
  port: Port,
  incidentId: z.string().min(1),
  raisedAt: Iso,
  agency: z.string().optional(),
  at: Iso,
});

export const PerformanceFact = z.discriminatedUnion('type', [
  DeclarationLodged,
  DeclarationAssessed,
  InspectionStarted,
  InspectionResult,
  DeclarationReleased,
  GateTransactionFact,
  GateVisitCompleted,
  AisPosition,
  VesselCall,
  RadiationOccupancy,
  EquipmentReport,
  EquipmentInterval,
  IncidentRaised,
  IncidentFirstAck,
]);
export type PerformanceFact = z.infer<typeof PerformanceFact>;
export type FactOf<T extends PerformanceFact['type']> = Extract<PerformanceFact, { type: T }>;

/**
 * The fact's identity: the same fact recorded twice (a stream retry, a replayed decision) has the same id, so the
 * fact log stores it once. Declaration facts that can repeat (an inspection after a re-route) include their time.
 */
export function factIdOf(f: PerformanceFact): string {
  switch (f.type) {
    case 'declaration.lodged':
    case 'declaration.assessed':
    case 'declaration.released':
      return `${f.type}#${f.declarationId}`;
    case 'inspection.started':
    case 'inspection.result':
      return `${f.type}#${f.declarationId}#${f.at}`;
    case 'gate.transaction':
      return `${f.type}#${f.transactionId}`;
    case 'gate.visit':
      return `${f.type}#${f.visitId}`;
    case 'ais.position':
      // One kept position per vessel and minute is all the port-call method needs (it splits on 24 h gaps).
      return `${f.type}#${f.mmsi}#${f.at.slice(0, 16)}`;
    case 'vessel.call':
      return `${f.type}#${f.mmsi}#${f.arrivalAt}`;
    case 'rpm.occupancy':
      return `${f.type}#${f.occupancyId}`;
    case 'equipment.report':
      return `${f.type}#${f.equipmentId}#${f.at}`;
    case 'equipment.interval':
      return `${f.type}#${f.equipmentId}#${f.from}`;
    case 'incident.raised':
    case 'incident.acknowledged':
      return `${f.type}#${f.incidentId}`;
  }
}

/** The hour bucket a fact belongs to: the hour of its end event (`at`), UTC, as `YYYY-MM-DDTHH`. */
export function hourOf(at: string): string {
  return new Date(at).toISOString().slice(0, 13);
}

export const HOUR_MS = 3_600_000;

/** `YYYY-MM-DDTHH` → epoch ms of the hour's start. */
export function hourStartMs(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/**
 * Slots of five minutes inside an hour (`YYYY-MM-DDTHH:MM`, MM = 00, 05 … 55): the open hour is folded slot by slot,
 * so that reading it never means reading a whole hour of facts.
 */
export const SLOT_MS = 5 * 60_000;

export function slotOf(at: string): string {
  const ms = Date.parse(at);
  return new Date(Math.floor(ms / SLOT_MS) * SLOT_MS).toISOString().slice(0, 16);
}

export function slotStartMs(slot: string): number {
  return Date.parse(`${slot}:00.000Z`);
}

/** The twelve slots of an hour, in order. */
export function slotsOf(hour: string): string[] {
  return Array.from({ length: HOUR_MS / SLOT_MS }, (_, i) => `${hour}:${String(i * 5).padStart(2, '0')}`);
}

/** Every hour bucket key in [from, to): the hours whose start lies in the period. */
export function hoursOf(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const first = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  for (let t = first; t < toMs; t += HOUR_MS) out.push(new Date(t).toISOString().slice(0, 13));
  return out;
}
