import { importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from '../shared/domain/roles';
import devKey from './dev-jwt-key.json';

/**
 * Tokens for the LOCAL platform only, signed with the committed development key (local/dev-jwt-key.json, public
 * on purpose). The cloud never sees this key: there Cognito issues the tokens and API Gateway's JWT authorizer
 * verifies them. The claims follow a Cognito access token's where the local authorizer checks them: `iss`, `aud`,
 * `exp`, `token_use: access` and `cognito:groups` (at least one role).
 */

export const LOCAL_ISSUER = 'kouan-local';
export const LOCAL_AUDIENCE = 'kouan-api';
export const LOCAL_KID = devKey.kid;

/** The public half, as a JWKS: what the local authorizer verifies with. */
export const LOCAL_JWKS = { keys: [devKey.publicJwk] };

/** @default ttlSeconds 3600 */
export interface LocalTokenOptions {
  /** The token's `cognito:groups`: usually one role. */
  roles: readonly Role[];
  /** @default `local-<first role>` */
  sub?: string;
  /** @default 3600 */
  ttlSeconds?: number;
}

let signingKey: ReturnType<typeof importJWK> | undefined;

/** A token the local API accepts (RS256, kid `kouan-local-dev`). */
export async function signLocalToken(options: LocalTokenOptions): Promise<string> {
  signingKey ??= importJWK(devKey.privateJwk as JWK, 'RS256');
  const sub = options.sub ?? `local-${options.roles[0] ?? 'nobody'}`;
  return new SignJWT({
    'cognito:groups': [...options.roles],
    token_use: 'access',
    username: sub,
  })
    .setProtectedHeader({ alg: 'RS256', kid: LOCAL_KID, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(await signingKey);
}
