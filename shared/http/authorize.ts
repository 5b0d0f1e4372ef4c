import type { Role } from '../domain/roles';
import type { Access, Caller } from './api-types';
import { HttpError } from './http-errors';

/**
 * Authorization in two steps.
 *
 * 1. Per route, in the router before the operation runs: a non-public route needs a caller (else 401) holding any
 *    of the route's roles (else 403). The cloud's JWT authorizer has already verified the token; this is the
 *    handler's own check, so a route wired without an authorizer still refuses.
 * 2. Per object, inside the operation once it has loaded the object: an `ObjectPolicy` says whether this caller
 *    may see or act on this object (e.g. a declarant only on its own declarations; quarantine only on the cases
 *    referred to it), and `authorizeObject` turns a refusal into a 403. List routes apply the same policy as a
 *    filter (or, better, as a key condition of the query) so that nobody pages through what they may not see.
 */

/** The challenge header of every 401 (RFC 6750). */
export const BEARER_CHALLENGE: Record<string, string> = { 'www-authenticate': 'Bearer realm="kouan"' };

export class UnauthorizedError extends HttpError {
  constructor(message = 'a valid bearer token is required') {
    super(401, 'UNAUTHORIZED', message, undefined, BEARER_CHALLENGE);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'FORBIDDEN', message);
  }
}

/** Throws the 401 or 403 a caller gets for a route with this access; returns the caller otherwise. */
export function authorizeRoute(access: Access, caller: Caller | undefined): Caller | undefined {
  if (access === 'public') return caller;
  if (!caller) throw new UnauthorizedError();
  if (!caller.roles.some((r) => access.includes(r))) {
    throw new ForbiddenError(`this route needs one of the roles ${access.join(', ')}`);
  }
  return caller;
}

/** Whether `caller` may see or act on `object`; see step 2 above. */
export type ObjectPolicy<T> = (caller: Caller, object: T) => boolean;

/** Throws 403 unless the policy allows the caller this object. */
export function authorizeObject<T>(policy: ObjectPolicy<T>, caller: Caller, object: T, what: string): T {
  if (!policy(caller, object)) throw new ForbiddenError(`you may not access this ${what}`);
  return object;
}

/** Whether the caller holds any of these roles: the building block of object policies. */
export function hasAnyRole(caller: Caller, roles: readonly Role[]): boolean {
  return caller.roles.some((r) => roles.includes(r));
}
