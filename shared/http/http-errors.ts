import * as z from 'zod';
import { InvalidNextTokenError } from '../adapters/dynamodb/page-token';
import { DecisionLogError } from '../domain/clearance/decision-log';
import { ConflictError, KouanError } from '../domain/errors';
import { InvalidRiskProfileError } from '../domain/risk/risk-profile';
import { NotTaskAgencyError } from '../use-cases/incidents';
import { InvalidInspectionResultError } from '../use-cases/inspection-results';
import { NotFoundError } from '../use-cases/port-queries';
import type { ApiResponse } from './api-types';

/** An error with an HTTP status, rendered as CONTRACT.md's `{ error: { code, message, details? } }`. */
export class HttpError extends KouanError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details?: unknown,
    /** Headers the error response carries, e.g. `www-authenticate` on a 401. */
    readonly headers?: Record<string, string>,
  ) {
    super(code, message, details);
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/** Maps any thrown value to a response; unknown errors become a 500 that reveals nothing internal. */
export function toErrorResponse(e: unknown): ApiResponse & { internal?: unknown } {
  if (e instanceof HttpError) {
    return {
      status: e.status,
      body: errorBody(e.code, e.message, e.details),
      ...(e.headers ? { headers: e.headers } : {}),
    };
  }
  if (e instanceof z.ZodError) {
    return {
      status: 400,
      body: errorBody(
        'VALIDATION_FAILED',
        z.prettifyError(e),
        e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      ),
    };
  }
  if (e instanceof NotFoundError) return { status: 404, body: errorBody(e.code, e.message) };
  if (e instanceof NotTaskAgencyError) return { status: 403, body: errorBody(e.code, e.message) };
  if (e instanceof InvalidNextTokenError) return { status: 400, body: errorBody(e.code, e.message) };
  if (e instanceof InvalidInspectionResultError) {
    return { status: 400, body: errorBody(e.code, e.message, e.details) };
  }
  if (e instanceof InvalidRiskProfileError) return { status: 400, body: errorBody(e.code, e.message, e.details) };
  // A forbidden transition, a lost race, or a log that no longer verifies: the state, not the request, is the issue.
  if (e instanceof ConflictError || e instanceof DecisionLogError) {
    // A conflict's details name what it conflicts with (e.g. the declaration a reference already names).
    return { status: 409, body: errorBody(e.code, e.message, e instanceof ConflictError ? e.details : undefined) };
  }
  return { status: 500, body: errorBody('INTERNAL', 'internal error; it has been logged'), internal: e };
}
