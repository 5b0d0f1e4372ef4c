import { hash } from 'node:crypto';

/**
 * Deterministic ids: the same input always gives the same id, so a re-delivered message writes the same item
 * again instead of a second one (idempotency by construction).
 */
export function stableId(prefix: string, ...parts: readonly (string | number)[]): string {
  // Callers pass a device id (never contains NUL) first, so joining on NUL is unambiguous.
  return `${prefix}${hash('sha256', parts.join('\u0000'), 'base64url').slice(0, 22)}`;
}

/** Content hash of raw bytes (for rejected payloads that carry no trustworthy messageId). */
export function contentHash(bytes: Buffer): string {
  return hash('sha256', bytes, 'base64url').slice(0, 32);
}

/**
 * Ids of the items one message creates (its visit, its alerts, its rejected sentences), all derived from one
 * digest of (deviceId, messageId), computed on first use: hashing once per message keeps the hot path cheap,
 * and a cryptographic digest keeps one device from forging another device's ids.
 */
export class MessageIds {
  private digest: string | undefined;

  constructor(
    private readonly deviceId: string,
    private readonly messageId: string,
  ) {}

  private base(): string {
    this.digest ??= stableId('', this.deviceId, this.messageId);
    return this.digest;
  }

  visit(): string {
    return `V-${this.base()}`;
  }

  alert(type: string, n: number): string {
    return `AL-${this.base()}-${type}-${n}`;
  }

  deadLetter(part: number): string {
    return `DL-${this.base()}-${part}`;
  }
}
