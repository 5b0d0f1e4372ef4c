/**
 * Key layout of the single port table (shared/platform/port-table.ts). One place, so readers and writers agree.
 * gsi1 lists an entity kind per port (newest first where the sort key is a time); gsi2 narrows by a second
 * attribute (plate, alert type, device).
 */
export const STATE = 'STATE';

export const keys = {
  message: (deviceId: string, key: string) => ({ pk: `MSG#${deviceId}`, sk: key }),
  vessel: (mmsi: number) => ({ pk: `VESSEL#${mmsi}`, sk: STATE }),
  vesselsByPort: (port: string) => `VESSELS#${port}`,
  trackPoint: (mmsi: number, observedAt: string) => ({ pk: `VESSEL#${mmsi}`, sk: `TRACK#${observedAt}` }),
  trackPrefix: 'TRACK#',
  visit: (visitId: string) => ({ pk: `VISIT#${visitId}`, sk: STATE }),
  visitsByPort: (port: string) => `VISITS#${port}`,
  visitsByPlate: (port: string, plate: string) => `VISITS#${port}#${plate}`,
  plate: (port: string, plate: string) => ({ pk: `PLATE#${port}#${plate}`, sk: STATE }),
  device: (deviceId: string) => ({ pk: `DEVICE#${deviceId}`, sk: STATE }),
  devicesByPort: (port: string) => `DEVICES#${port}`,
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: STATE }),
  alertsByPort: (port: string) => `ALERTS#${port}`,
  alertsByType: (port: string, type: string) => `ALERTS#${port}#${type}`,
  equipment: (port: string, equipmentId: string) => ({ pk: `EQUIPMENT#${port}#${equipmentId}`, sk: STATE }),
  equipmentByPort: (port: string) => `EQUIPMENT#${port}`,
  deadLetter: (id: string) => ({ pk: `DEADLETTER#${id}`, sk: STATE }),
  deadLettersAll: 'DEADLETTERS',
  deadLettersByDevice: (deviceId: string) => `DEADLETTERS#${deviceId}`,
  /** A declaration's current state; its decision log lives in the same partition (one Query reads both). */
  declaration: (id: string) => ({ pk: `DECL#${id}`, sk: STATE }),
  /** A lodger's reference and the declaration it names (idempotent re-submission). */
  declarationReference: (lodgedBy: string, reference: string) => ({
    pk: `DECLREF#${lodgedBy}\u0000${reference}`,
    sk: STATE,
  }),
  /** Log entries sort by seq (zero-padded), so the newest is the last of the partition. */
  declarationLog: (id: string, seq: number) => ({ pk: `DECL#${id}`, sk: `LOG#${String(seq).padStart(9, '0')}` }),
  declarationLogPrefix: 'LOG#',
  /** gsi1: a port's declarations, newest first (gsi1sk = `{lodgedAt}#{id}`). */
  declarationsByPort: (port: string) => `DECLS#${port}`,
  /** gsi2: one declarant's declarations (its token `sub`), newest first. */
  declarationsByDeclarant: (sub: string) => `DECLS#BY#${sub}`,
  declarationSortKey: (lodgedAt: string, id: string) => `${lodgedAt}#${id}`,
  /**
   * Which declarations name a subject (`container:…`, `truck:…`, `mmsi:…`, `imo:…`): the lookup for device evidence
   * about it.
   */
  subjectDeclaration: (subject: string, id: string) => ({ pk: `SUBJECT#${subject}`, sk: `DECL#${id}` }),
  /** The risk profile's revisions, one item each in one partition; the newest is the last (zero-padded). */
  riskProfile: (revision: number) => ({ pk: 'RISKPROFILE', sk: `REV#${String(revision).padStart(9, '0')}` }),
  riskProfilePartition: 'RISKPROFILE',
  riskProfilePrefix: 'REV#',
  /** Hit-rate counters: `RULE#{ruleId}` and `SELECTED#{source}` items in one partition. */
  ruleHits: (key: string) => ({ pk: 'RULEHITS', sk: key }),
  ruleHitsPartition: 'RULEHITS',
  /** A DCSA-style customs event; gsi1: a port's events by creation time (gsi1sk = `{created}#{eventId}`). */
  customsEvent: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: STATE }),
  customsEventsByPort: (port: string) => `EVENTS#${port}`,
  /**
   * Performance fact log: one partition per port-hour, sk = `{minute of its 5-minute slot}#{fact id}`, so that one
   * slot reads with begins_with (docs/performance.md "Storage").
   */
  perfFact: (port: string, hour: string, minute: string, factId: string) => ({
    pk: `PERF#${port}#FACTS#${hour}`,
    sk: `${minute}#${factId}`,
  }),
  perfFacts: (port: string, hour: string) => `PERF#${port}#FACTS#${hour}`,
  /** A port's hour buckets, sk = `YYYY-MM-DDTHH` (sorts by time). */
  perfBucket: (port: string, hour: string) => ({ pk: `PERF#${port}#BUCKETS`, sk: hour }),
  perfBuckets: (port: string) => `PERF#${port}#BUCKETS`,
  /** Folded five-minute slots of the open hour, sk = `YYYY-MM-DDTHH:MM`. */
  perfSlot: (port: string, slot: string) => ({ pk: `PERF#${port}#SLOTS`, sk: slot }),
  perfSlots: (port: string) => `PERF#${port}#SLOTS`,
  /** Hours to fold again (late facts), sk = hour. */
  perfDirty: (port: string, hour: string) => ({ pk: `PERF#${port}#DIRTY`, sk: hour }),
  perfDirtyHours: (port: string) => `PERF#${port}#DIRTY`,
  /** Per-entity state of the performance state machines (`vessel#{mmsi}`, `equipment#{id}`). */
  perfState: (port: string, key: string) => ({ pk: `PERF#${port}#STATE`, sk: key }),
  perfStates: (port: string) => `PERF#${port}#STATE`,
  /** Evaluation snapshots, sk = `{granularity}#{from}`. */
  perfSnapshot: (port: string, granularity: string, from: string) => ({
    pk: `PERF#${port}#SNAPSHOTS`,
    sk: `${granularity}#${from}`,
  }),
  /** A joint-control incident; gsi1 a port's incidents, gsi2 those of one status (gsi*sk = `{raisedAt}#{id}`). */
  incident: (id: string) => ({ pk: `INCIDENT#${id}`, sk: STATE }),
  incidentsByPort: (port: string) => `INCIDENTS#${port}`,
  incidentsByStatus: (port: string, status: string) => `INCIDENTS#${port}#${status}`,
  /** A task's callback token, beside the incident but never in it (no read of the incident returns it). */
  incidentTaskToken: (id: string, taskId: string) => ({ pk: `INCIDENT#${id}`, sk: `TOKEN#${taskId}` }),
  /** A cause suppressed into the incident as a duplicate (one item per source: counted once). */
  incidentDuplicate: (id: string, sourceId: string) => ({ pk: `INCIDENT#${id}`, sk: `DUP#${sourceId}` }),
  /** "One incident per subject and cause within a window": who holds the key, until when. */
  incidentDedupe: (key: string) => ({ pk: `INCIDENTKEY#${key}`, sk: STATE }),
} as const;

/** Attributes that exist for the table, not for readers; stripped from every item returned by the API. */
export const INTERNAL_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'expiresAt',
  'lastMessageKey',
  'lastOutMessageKey',
  // A vessel's previous fix, kept for the dark-vessel check.
  'prevObservedAt',
  'prevLat',
  'prevLon',
  'prevPort',
] as const;

const INTERNAL = new Set<string>(INTERNAL_ATTRIBUTES);

/** An item without the table's own attributes (keys, TTL, bookkeeping): what readers get. */
export function withoutInternalAttributes<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) out[k] = v;
  return out as T;
}

/** MMSIs sort as numbers when zero-padded. */
export const mmsiSortKey = (mmsi: number): string => String(mmsi).padStart(9, '0');
