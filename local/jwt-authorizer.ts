import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ROLES } from '../shared/domain/roles';
import type { JwtClaims } from '../shared/http/api-gateway';
import { parseGroups } from '../shared/http/api-gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_JWKS } from './dev-tokens';

/**
 * The local stand-in for API Gateway's JWT authorizer (Cognito in the cloud): verifies `Authorization: Bearer`
 * tokens against the local development key with aws-jwt-verify and hands over the claims the way API Gateway
 * does. Offline by construction: the JWKS is cached up front and `verifySync` never fetches, so a token signed
 * under an unknown `kid` is refused rather than looked up.
 *
 * Checks: RS256 signature by a key of the JWKS (so `alg: none` and foreign keys fail), `iss`, `aud`, `exp`/`nbf`,
 * `token_use: access`, a `sub`, and at least one group that is a role. (Cognito only issues the groups of its
 * user pool, which are exactly the roles, so a token with none of them is not one the cloud could see.)
 */

export type AuthorizerResult = { ok: true; claims: JwtClaims; scopes: string[] } | { ok: false; reason: string };

export interface JwtAuthorizer {
  authorize(authorizationHeader: string | undefined): AuthorizerResult;
}

export interface JwtAuthorizerOptions {
  /** @default LOCAL_JWKS (local/dev-jwt-key.json) */
  jwks?: { keys: unknown[] };
  /** @default LOCAL_ISSUER */
  issuer?: string;
  /** @default LOCAL_AUDIENCE */
  audience?: string;
}

/** Never fetched (verifySync uses the cached JWKS only); aws-jwt-verify needs a URI to key its cache. */
const LOCAL_JWKS_URI = 'http://127.0.0.1/.well-known/kouan-local-jwks.json';

export function createJwtAuthorizer(options: JwtAuthorizerOptions = {}): JwtAuthorizer {
  const verifier = JwtRsaVerifier.create({
    issuer: options.issuer ?? LOCAL_ISSUER,
    audience: options.audience ?? LOCAL_AUDIENCE,
    jwksUri: LOCAL_JWKS_URI,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'access') throw new Error('not an access token');
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('no sub');
      const groups = parseGroups(payload['cognito:groups'] as JwtClaims[string] | undefined);
      if (!groups.some((g) => (ROLES as readonly string[]).includes(g))) throw new Error('no role among the groups');
    },
  });
  verifier.cacheJwks((options.jwks ?? LOCAL_JWKS) as Parameters<typeof verifier.cacheJwks>[0]);

  return {
    authorize(header) {
      const match = /^Bearer +([A-Za-z0-9\-_.]+) *$/i.exec(header ?? '');
      if (!match?.[1]) return { ok: false, reason: header ? 'not a bearer token' : 'no Authorization header' };
      try {
        const payload = verifier.verifySync(match[1]);
        const scope = payload.scope;
        return {
          ok: true,
          claims: toApiGatewayClaims(payload),
          scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
        };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/**
 * Claims as API Gateway's JWT authorizer passes them to the integration: every value a string, arrays flattened
 * to `[a b]` (which is how `cognito:groups` reaches the handler in the cloud).
 */
export function toApiGatewayClaims(payload: JwtPayload): JwtClaims {
  const claims: JwtClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = Array.isArray(value)
      ? `[${value.map(String).join(' ')}]`
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}
