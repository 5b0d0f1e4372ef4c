import { createHash } from 'node:crypto';

/**
 * Deterministic ids: the same input always gives the same id, so a re-delivered message writes the same item
 * again instead of a second one (idempotency by construction).
 */
export function stableId(prefix: string, ...parts: readonly (string | number)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p)).update('\u0000');
  return `${prefix}${h.digest('base64url').slice(0, 22)}`;
}

/** Content hash of raw bytes (for rejected payloads that carry no trustworthy messageId). */
export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
}
