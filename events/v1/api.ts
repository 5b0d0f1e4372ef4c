import * as z from 'zod';
import { DeviceId, PortCode } from './topic';

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
