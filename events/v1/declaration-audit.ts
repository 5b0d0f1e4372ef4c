import * as z from 'zod';
import { ROLES } from '../../shared/domain/roles';
import { DeclarationStatus, Lane, Timestamp } from './clearance-enums';

/**
 * The clearance decision log of one declaration (DESIGN.md, data rules): append-only and hash-chained, each entry
 * carrying the hash of the one before it. `GET /v1/declarations/{id}/audit` returns it with the result of the
 * verification. Built and verified by shared/domain/clearance/decision-log.ts; these schemas are its types and its
 * OpenAPI description.
 */

/** What an entry records. Machine steps (`lodge`, `assess`, `reassess`) have the actor role `system`. */
export const DecisionLogAction = z.enum([
  'lodge',
  'assess',
  'reassess',
  'release',
  'hold',
  'inspect',
  'reroute',
  'inspection-result',
  'seize',
  'refer',
]);
export type DecisionLogAction = z.infer<typeof DecisionLogAction>;

/** Who acted: the token's subject and the role it acted in, or the platform itself (`system`). */
export const DecisionActor = z.strictObject({
  sub: z.string().min(1).max(256),
  role: z.enum([...ROLES, 'system']),
});
export type DecisionActor = z.infer<typeof DecisionActor>;

/** SHA-256, 64 lower-case hex digits. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest in lower-case hex');

export const DecisionLogEntry = z.strictObject({
  declarationId: z.string().min(1).max(128),
  /** 0, 1, 2 … with no gaps: the position in the log. */
  seq: z.number().int().min(0),
  at: Timestamp,
  actor: DecisionActor,
  action: DecisionLogAction,
  fromStatus: DeclarationStatus.optional(),
  toStatus: DeclarationStatus,
  lane: Lane.optional(),
  reason: z.string().min(1).max(4000),
  /** Evidence and parameters of the step (rule hits, inspection findings …), plain JSON. */
  details: z.record(z.string(), z.json()).optional(),
  /** The previous entry's `hash`; for seq 0 the genesis value derived from the declaration id. */
  prevHash: Sha256Hex,
  /** SHA-256 of the RFC 8785 canonical JSON of every other field of this entry. */
  hash: Sha256Hex,
});
export type DecisionLogEntry = z.infer<typeof DecisionLogEntry>;

/** The body of `GET /v1/declarations/{id}/audit`. */
export const DeclarationAudit = z.strictObject({
  declarationId: z.string().min(1).max(128),
  entries: z.array(DecisionLogEntry),
  verified: z.boolean(),
  /** Index of the first entry that fails verification (equal to `entries.length` when entries are missing at the end). */
  brokenAt: z.number().int().min(0).optional(),
  reason: z.string().optional(),
});
export type DeclarationAudit = z.infer<typeof DeclarationAudit>;
