import * as z from 'zod';
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

export const VesselPage = pageOf(Vessel);
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
} as const satisfies Record<string, z.ZodType>;
