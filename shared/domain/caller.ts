import type { Role } from './roles';

/**
 * Who is calling, as the JWT authorizer verified it: API Gateway's Cognito authorizer in the cloud, the local
 * server's authorizer (local/jwt-authorizer.ts) on localhost. Nothing else in a request is trusted for identity.
 */
export interface Caller {
  /** The token's `sub`: the Cognito user (or, locally, whatever `npm run token -- --sub` was given). */
  sub: string;
  /** The token's groups that are roles of CONTRACT.md §3; unknown groups are dropped. */
  roles: readonly Role[];
}
