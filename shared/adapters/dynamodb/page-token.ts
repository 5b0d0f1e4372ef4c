import { KouanError } from '../../domain/errors';

/** A `nextToken` that this API did not issue for this query. */
export class InvalidNextTokenError extends KouanError {
  constructor() {
    super('INVALID_NEXT_TOKEN', 'nextToken is not a token this list returned; start again without it');
  }
}

type Key = Record<string, string>;

/**
 * Page tokens are the DynamoDB LastEvaluatedKey, base64url JSON. On the way back in they are checked to be a key of
 * the same list (same index partition), so a crafted token cannot walk into another partition.
 */
export function encodePageToken(key: Record<string, unknown> | undefined): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodePageToken(
  token: string | undefined,
  expect: { attribute: string; value: string },
  allowed: readonly string[],
): Key | undefined {
  if (token === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidNextTokenError();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidNextTokenError();
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.length > allowed.length) throw new InvalidNextTokenError();
  for (const [k, v] of entries) {
    if (!allowed.includes(k) || typeof v !== 'string' || v.length > 1024) throw new InvalidNextTokenError();
  }
  const key = parsed as Key;
  if (key[expect.attribute] !== expect.value) throw new InvalidNextTokenError();
  return key;
}
