import * as z from 'zod';
import { PortCode } from './topic';

/**
 * What customs did, as DCSA Track & Trace v3 events (DESIGN.md, events vocabulary), read at `GET /v1/events`.
 * Equipment events per container: `CUSS` (customs selected for scan: an officer's inspect with method `scan`),
 * `CUSI` (customs selected for inspection: red lane, an officer's inspect or a re-route to red), `CUSR` (customs
 * released). Shipment events per declaration: `HOLD`, `RELS` (released). Yellow (a documentary check) touches no
 * equipment and writes none. Every event is an actual (`ACT`).
 */
export const CustomsEvent = z.strictObject({
  /** Derived from the decision-log entry it reports (`{declarationId}.{seq}.{code}[.{container}]`): idempotent. */
  eventId: z.string().min(1).max(256),
  eventType: z.enum(['EQUIPMENT', 'SHIPMENT']),
  eventClassifierCode: z.literal('ACT'),
  equipmentEventTypeCode: z.enum(['CUSS', 'CUSI', 'CUSR']).optional(),
  shipmentEventTypeCode: z.enum(['HOLD', 'RELS']).optional(),
  /** When customs acted (the decision-log entry's time). */
  eventDateTime: z.iso.datetime({ offset: true }),
  /** When the platform wrote the event. */
  eventCreatedDateTime: z.iso.datetime({ offset: true }),
  /** The ISO 6346 container number, on equipment events. */
  equipmentReference: z.string().optional(),
  /** The declaration's id on the platform. */
  documentReference: z.string(),
  /** The declarant's own reference for the declaration. */
  documentClientReference: z.string().optional(),
  port: PortCode,
});
export type CustomsEvent = z.infer<typeof CustomsEvent>;

export const CustomsEventPage = z.strictObject({
  items: z.array(CustomsEvent),
  nextToken: z.string().optional(),
});

export const CustomsEventListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
  /** Defaults to the port this deployment serves. */
  port: PortCode.optional(),
  /** Only events created at or after this time. */
  since: z.iso.datetime({ offset: true }).optional(),
});
