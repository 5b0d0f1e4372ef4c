import * as z from 'zod';
import { issueDetails } from '../../events/v1/declaration';
import { HttpError } from './http-errors';

/** Request bodies above this are refused with 413 before they are parsed. @default for every route with a body */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Parses a JSON body with the route's schema: 413 above the size limit, 400 for a missing body, bad JSON or a failed
 * parse (details: `[{ path, message }]`, an unknown field at its own path). Nothing has been written when this throws.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: string | undefined,
  limit = MAX_BODY_BYTES,
): z.output<S> {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > limit) {
    throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes`);
  }
  if (body === undefined || body.trim() === '') throw new HttpError(400, 'BODY_REQUIRED', 'a JSON body is required');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HttpError(400, 'VALIDATION_FAILED', z.prettifyError(parsed.error), issueDetails(parsed.error));
  }
  return parsed.data;
}
