import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { ROLES, type Role } from '../domain/roles';
import type { ApiRequest, ApiResponse, Caller } from './api-types';

/** The event of an HTTP API route, with or without the JWT authorizer (public routes have none). */
export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

/** Claims as API Gateway's JWT authorizer hands them over (it turns every value into a string). */
export type JwtClaims = APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];

/** API Gateway HTTP API (payload format 2.0) → ApiRequest. Header names are lower-cased as API Gateway does. */
export function fromApiGatewayEvent(event: ApiGatewayEvent): Omit<ApiRequest, 'pathParams'> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  const caller = callerFromClaims(jwtClaimsOf(event));
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query,
    headers,
    body,
    requestId: event.requestContext.requestId,
    ...(caller ? { caller } : {}),
  };
}

/**
 * The claims the JWT authorizer verified, or undefined when no authorizer ran. Only this is trusted for identity:
 * an `Authorization` header reaching the handler on its own proves nothing.
 */
function jwtClaimsOf(event: ApiGatewayEvent): JwtClaims | undefined {
  const ctx = event.requestContext;
  return 'authorizer' in ctx ? ctx.authorizer?.jwt?.claims : undefined;
}

/** The caller of verified claims: `sub` and the token's groups that are roles. Undefined without a `sub`. */
export function callerFromClaims(claims: JwtClaims | undefined): Caller | undefined {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const groups = parseGroups(claims?.['cognito:groups']);
  const roles = ROLES.filter((r: Role) => groups.includes(r));
  return { sub, roles };
}

/**
 * `cognito:groups` in any form it arrives in: API Gateway flattens the array to `[customs-officer border]`;
 * a JSON array string (`["border"]`), a real array and a single bare group are accepted too.
 */
export function parseGroups(value: JwtClaims[string] | undefined): string[] {
  if (Array.isArray(value)) return value.filter((g) => typeof g === 'string' && g.length > 0);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.filter((g): g is string => typeof g === 'string' && g.length > 0);
    } catch {
      // Not JSON: API Gateway's `[a b]` form.
    }
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

export function toApiGatewayResult(res: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: res.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...res.headers },
    body: JSON.stringify(res.body),
  };
}
