import * as z from 'zod';
import { CustomsEvent, CustomsEventPage } from './customs-events';
import {
  AssessmentReason,
  DeclarationAssessment,
  DeclarationDocument,
  DeclarationItem,
  DeclarationStatus,
  Direction,
  Lane,
  ReferralAgency,
  Trader,
  Transport,
} from './declaration';
import { DecisionLogAction, DecisionLogEntry, DeclarationAudit } from './declaration-audit';
import { Incident, IncidentPage, IncidentSummary } from './incidents';
import { KpiReport, PortPerformance, PortRanking } from './performance';
import { RiskRules } from './risk-rules';
import { DeviceClass, DeviceId, PortCode } from './topic';

/**
 * HTTP API request schemas, v1 (CONTRACT.md §3): query strings and path parameters. The handlers validate with
 * these; the OpenAPI document is generated from them.
 */

/** `?limit=` (1–100, default 50) and `?nextToken=` (opaque, from a previous page). */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});

export const VesselListQuery = PageQuery.extend({ port: PortCode });
export const VesselPath = z.strictObject({ mmsi: z.coerce.number().int().min(0).max(999_999_999) });
export const VesselGetQuery = z.strictObject({
  trackLimit: z.coerce.number().int().min(0).max(500).default(100),
});

export const GateVisitListQuery = PageQuery.extend({
  port: PortCode,
  plate: z
    .string()
    .min(1)
    .max(16)
    .transform((p) => p.toUpperCase().replace(/\s+/g, ''))
    .optional(),
});

export const DeviceListQuery = PageQuery.extend({ port: PortCode });
export const DevicePath = z.strictObject({ deviceId: DeviceId });

export const DeadLetterListQuery = PageQuery.extend({ deviceId: DeviceId.optional() });

export const AlertListQuery = PageQuery.extend({
  port: PortCode,
  type: z
    .string()
    .regex(/^[a-z0-9]+(\.[a-z0-9_]+)+$/, 'an alert type such as rpm.alarm')
    .optional(),
});

/** The platform's declaration ids (UUIDs today; the pattern leaves room for ULIDs). */
export const DeclarationId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a declaration id such as a UUID');

export const DeclarationListQuery = PageQuery.extend({
  /** Defaults to the port this deployment serves; declarants list their own declarations at every port. */
  port: PortCode.optional(),
  status: DeclarationStatus.optional(),
  lane: Lane.optional(),
});
export const DeclarationPath = z.strictObject({ id: DeclarationId });

export type Page = z.infer<typeof PageQuery>;

/*
 * HTTP API response schemas, v1: the read models of shared/domain/model.ts as the API returns them. They document
 * the API (OpenAPI) and are checked against the domain types in test/unit/openapi.test.ts.
 */

const Timestamp = z.string().describe('ISO-8601 date-time');

export const Health = z.object({ status: z.literal('ok') });

export const OpenApiDocument = z
  .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.object({}) })
  .loose()
  .describe('an OpenAPI 3.1 document');

export const ApiError = z.object({
  error: z.object({
    code: z.string().describe('stable, machine-readable, e.g. VALIDATION_FAILED, UNAUTHORIZED, FORBIDDEN'),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const TrackPoint = z.object({
  lat: z.number(),
  lon: z.number(),
  sog: z.number().optional(),
  cog: z.number().optional(),
  observedAt: Timestamp,
});

export const Vessel = z.object({
  mmsi: z.number().int(),
  port: PortCode,
  imo: z.number().int().optional(),
  name: z.string().optional(),
  callsign: z.string().optional(),
  shipType: z.number().int().optional(),
  destination: z.string().optional(),
  lat: z.number().optional().describe('absent until the first position report'),
  lon: z.number().optional(),
  sog: z.number().optional(),
  cog: z.number().optional(),
  heading: z.number().optional(),
  navStatus: z.number().int().optional(),
  aisClass: z.enum(['A', 'B']).optional(),
  observedAt: Timestamp.optional().describe('time of the latest position report'),
  staticObservedAt: Timestamp.optional().describe('time of the latest static/voyage report'),
  track: z.array(TrackPoint).optional().describe('recent positions, newest first (GET /v1/vessels/{mmsi} only)'),
});

export const GateVisit = z.object({
  visitId: z.string(),
  port: PortCode,
  plate: z.string(),
  laneIn: z.string().optional(),
  inAt: Timestamp.optional(),
  laneOut: z.string().optional(),
  outAt: Timestamp.optional(),
  containers: z.array(z.object({ number: z.string(), checkDigitValid: z.boolean() })),
  status: z.enum(['in-yard', 'completed', 'out-only']),
});

export const Device = z.object({
  deviceId: z.string(),
  port: PortCode,
  deviceClass: DeviceClass,
  lastSeenAt: Timestamp,
  health: z.enum(['ok', 'degraded', 'fault', 'unknown']),
  accepted: z.number().int(),
  rejected: z.number().int(),
  firmware: z.string().optional(),
  uptimeS: z.number().optional(),
});

export const DeadLetter = z.object({
  id: z.string(),
  port: z.string().optional(),
  deviceId: z.string(),
  deviceClass: z.string().optional(),
  messageId: z.string().optional(),
  topic: z.string().optional(),
  reason: z.object({
    code: z.string().describe('e.g. INVALID_JSON, SCHEMA_INVALID, NMEA_BAD_CHECKSUM'),
    message: z.string(),
    details: z.unknown().optional(),
  }),
  receivedAt: Timestamp,
  excerpt: z.string().describe('the rejected bytes (UTF-8, cut to a readable size)'),
  sizeBytes: z.number().int(),
});

export const Alert = z.object({
  alertId: z.string(),
  port: PortCode,
  type: z.string().describe('e.g. rpm.alarm, nii.anomaly, gate.container.invalid, equipment.fault'),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  subject: z.object({
    kind: z.enum(['container', 'truck', 'vessel', 'equipment', 'device', 'occupancy']),
    id: z.string(),
  }),
  observedAt: Timestamp,
  deviceId: z.string(),
  evidence: z.record(z.string(), z.unknown()),
});

/** `{ items, nextToken? }` of CONTRACT.md §3. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextToken: z.string().optional().describe('pass as ?nextToken= for the next page; absent on the last page'),
  });
}

/** A reason as a declaration carries it: CONTRACT.md's four fields plus the lane it asked for and what it rests on. */
export const DeclarationReason = AssessmentReason.extend({
  lane: Lane.optional(),
  ruleVersion: z.number().int().optional(),
  items: z.array(z.number().int()).optional().describe('1-based numbers of the items behind the hit'),
  evidenceIds: z.array(z.string()).optional().describe('ids of the device facts behind an evidence hit'),
});

/** One step of a declaration's status history (the decision log without the officers' identities). */
export const DeclarationHistoryEntry = z.object({
  seq: z.number().int(),
  at: Timestamp,
  action: DecisionLogAction,
  actorRole: z.string().describe('the role that acted, or system'),
  fromStatus: DeclarationStatus.optional(),
  toStatus: DeclarationStatus,
  lane: Lane.optional(),
  reason: z.string(),
});

/** A hold in force on a declaration (an officer's or joint control's), from its decision log. */
export const DeclarationHold = z.object({
  at: Timestamp,
  byRole: z.string().describe('the role that held it, or system'),
  reason: z.string(),
  seq: z.number().int().describe('the decision-log entry of the hold'),
});

const DeclarationState = {
  id: DeclarationId,
  reference: z.string(),
  port: PortCode,
  direction: Direction,
  status: DeclarationStatus,
  lane: Lane,
  score: z.number(),
  lodgedAt: Timestamp,
  assessedAt: Timestamp,
  slaDueAt: Timestamp,
  slaState: z.enum(['on-time', 'at-risk', 'breached']).describe('of the release target, at the time of the read'),
  perishable: z.boolean(),
  referredTo: z.array(ReferralAgency).describe('agencies the declaration is referred to (quarantine sees only these)'),
};

/** `GET /v1/declarations` items: the state without goods lines and history. */
export const DeclarationSummary = z.object({
  ...DeclarationState,
  traderId: z.string(),
  containers: z.array(z.string()),
});

/** `GET /v1/declarations/{id}` and the result of a decision: the whole declaration and where it stands. */
export const Declaration = z.object({
  ...DeclarationState,
  trader: Trader,
  transport: Transport,
  containers: z.array(z.string()),
  items: z.array(DeclarationItem),
  documents: z.array(DeclarationDocument).optional(),
  lodgedBy: z.object({ sub: z.string(), role: z.string() }),
  reasons: z.array(DeclarationReason),
  override: z
    .object({ at: Timestamp, fromLane: Lane, toLane: Lane, reason: z.string() })
    .optional()
    .describe('the latest officer re-routing'),
  version: z.number().int(),
  holds: z.array(DeclarationHold).describe('the holds in force while the declaration is held; empty otherwise'),
  history: z.array(DeclarationHistoryEntry),
});

export type DeclarationReasonView = z.infer<typeof DeclarationReason>;
export type DeclarationHoldView = z.infer<typeof DeclarationHold>;
export type DeclarationSummaryView = z.infer<typeof DeclarationSummary>;
export type DeclarationView = z.infer<typeof Declaration>;

export const VesselPage = pageOf(Vessel);
export const DeclarationSummaryPage = pageOf(DeclarationSummary);
export const GateVisitPage = pageOf(GateVisit);
export const DevicePage = pageOf(Device);
export const DeadLetterPage = pageOf(DeadLetter);
export const AlertPage = pageOf(Alert);

/** The OpenAPI document's `components.schemas`, by name: every response schema a route may name. */
export const API_SCHEMAS = {
  Health,
  OpenApiDocument,
  ApiError,
  TrackPoint,
  Vessel,
  VesselPage,
  GateVisit,
  GateVisitPage,
  Device,
  DevicePage,
  DeadLetter,
  DeadLetterPage,
  Alert,
  AlertPage,
  DeclarationAssessment,
  DeclarationReason,
  DeclarationHistoryEntry,
  DeclarationSummary,
  DeclarationSummaryPage,
  Declaration,
  DecisionLogEntry,
  DeclarationAudit,
  RiskRules,
  CustomsEvent,
  CustomsEventPage,
  Incident,
  IncidentSummary,
  IncidentPage,
  PortPerformance,
  PortRanking,
  KpiReport,
} as const satisfies Record<string, z.ZodType>;
