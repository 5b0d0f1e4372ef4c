import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ROLES, type Role } from '../../shared/domain/roles';
import { callerFromClaims, fromApiGatewayEvent, parseGroups } from '../../shared/http/api-gateway';
import type { Caller } from '../../shared/http/api-types';
import { authorizeObject, type ObjectPolicy } from '../../shared/http/authorize';
import { createRouter } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';
import type { PortReader } from '../../shared/ports/port-reader';
import { sampleUrl } from '../support/route-samples';

// The handler side of authorization: the caller comes only from the JWT authorizer's claims in the event, and the
// router enforces each route's roles. The same matrix runs through the local HTTP server in test/e2e/auth.test.ts.

const device = {
  deviceId: 'gate-auth-01',
  port: 'CNSGH',
  deviceClass: 'gate' as const,
  lastSeenAt: '2024-06-17T15:52:39.000Z',
  health: 'ok' as const,
  accepted: 1,
  rejected: 0,
};
const empty = async () => ({ items: [] });
const reader: PortReader = {
  listVessels: empty,
  getVessel: async (mmsi) => ({ mmsi, port: 'CNSGH' }),
  listGateVisits: empty,
  listDevices: empty,
  getDevice: async () => device,
  listDeadLetters: empty,
  listAlerts: empty,
};
const route = createRouter(ROUTES, { reader }, (e) => {
  throw e;
});

/** The event API Gateway sends: with `requestContext.authorizer.jwt` when its JWT authorizer ran. */
function event(url: string, claims?: Record<string, string>): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = url.split('?');
  const queryStringParameters = Object.fromEntries(new URLSearchParams(rawQueryString));
  const base: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {},
    queryStringParameters,
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'a',
      domainName: 'x',
      domainPrefix: 'x',
      http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
  };
  if (!claims) return base;
  const withAuth: APIGatewayProxyEventV2WithJWTAuthorizer = {
    ...base,
    requestContext: {
      ...base.requestContext,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
  };
  return withAuth;
}

const claimsFor = (role: string) => ({ sub: `user-${role}`, 'cognito:groups': `[${role}]`, token_use: 'access' });

describe('caller from the JWT authorizer claims', () => {
  it('reads API Gateway’s flattened `[a b]` groups, a JSON array string and a real array', () => {
    expect(parseGroups('[customs-officer border]')).toEqual(['customs-officer', 'border']);
    expect(parseGroups('["customs-officer","border"]')).toEqual(['customs-officer', 'border']);
    expect(parseGroups(['customs-officer', 'border'])).toEqual(['customs-officer', 'border']);
    expect(parseGroups('border')).toEqual(['border']);
    expect(parseGroups('[]')).toEqual([]);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('keeps only groups that are roles', () => {
    expect(callerFromClaims({ sub: 'u1', 'cognito:groups': '[admins border everyone]' })).toEqual({
      sub: 'u1',
      roles: ['border'],
    });
  });

  it('has no caller without a sub or without claims', () => {
    expect(callerFromClaims({ 'cognito:groups': '[border]' })).toBeUndefined();
    expect(callerFromClaims(undefined)).toBeUndefined();
  });

  it('ignores an Authorization header the authorizer did not verify', () => {
    const e = event('/v1/devices?port=CNSGH');
    e.headers.authorization = 'Bearer anything';
    expect(fromApiGatewayEvent(e).caller).toBeUndefined();
  });

  it('puts the verified caller on the request', () => {
    expect(fromApiGatewayEvent(event('/v1/health', claimsFor('maritime'))).caller).toEqual({
      sub: 'user-maritime',
      roles: ['maritime'],
    });
  });
});

describe('route access in the router: every route × every role, and no caller', () => {
  const cases = ROUTES.flatMap((r) => [
    ...ROLES.map((role) => ({ r, role: role as Role | undefined })),
    { r, role: undefined as Role | undefined },
  ]);

  it.each(cases.map(({ r, role }) => [`${r.method} ${r.path}`, role ?? '(no caller)', r, role] as const))(
    '%s as %s',
    async (_name, _who, r, role) => {
      const res = await route(fromApiGatewayEvent(event(sampleUrl(r), role ? claimsFor(role) : undefined)));

      const expected = r.access === 'public' ? 200 : role === undefined ? 401 : r.access.includes(role) ? 200 : 403;
      expect(res.status).toBe(expected);
      if (expected === 401) {
        expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
        expect(res.headers?.['www-authenticate']).toMatch(/^Bearer/);
      }
      if (expected === 403) expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    },
  );

  it('refuses with 403 a caller whose groups hold no role', async () => {
    const res = await route(
      fromApiGatewayEvent(event('/v1/devices?port=CNSGH', { sub: 'u', 'cognito:groups': '[nobody]' })),
    );
    expect(res.status).toBe(403);
  });
});

describe('roles per route (CONTRACT.md §3)', () => {
  const accessOf = (path: string) => ROUTES.find((r) => r.path === path)?.access;
  const agencies = ['customs-officer', 'customs-risk', 'border', 'maritime', 'quarantine'];

  it.each([
    ['/v1/health', 'public'],
    ['/v1/openapi.json', 'public'],
    ['/v1/vessels', [...agencies, 'port-operator']],
    ['/v1/vessels/{mmsi}', [...agencies, 'port-operator']],
    ['/v1/gate/visits', [...agencies, 'port-operator']],
    ['/v1/devices', ['platform-admin', 'port-operator']],
    ['/v1/devices/{deviceId}', ['platform-admin', 'port-operator']],
    ['/v1/dead-letters', ['platform-admin']],
    ['/v1/alerts', agencies],
  ])('%s is open to %j', (path, roles) => {
    const access = accessOf(path);
    expect(access === 'public' ? access : [...(access ?? [])].sort()).toEqual(
      roles === 'public' ? roles : [...roles].sort(),
    );
  });
});

describe('per-object authorization', () => {
  // The shape the declaration routes will use: a declarant sees only its own, customs sees all.
  const ownOrCustoms: ObjectPolicy<{ declarantId: string }> = (caller, d) =>
    caller.roles.includes('customs-officer') || (caller.roles.includes('declarant') && d.declarantId === caller.sub);
  const declarant = (sub: string): Caller => ({ sub, roles: ['declarant'] });

  it('returns the object the policy allows', () => {
    const own = { declarantId: 'trader-1' };
    expect(authorizeObject(ownOrCustoms, declarant('trader-1'), own, 'declaration')).toBe(own);
  });

  it('throws a 403 FORBIDDEN for an object the policy refuses', () => {
    expect(() =>
      authorizeObject(ownOrCustoms, declarant('trader-2'), { declarantId: 'trader-1' }, 'declaration'),
    ).toThrow(expect.objectContaining({ status: 403, code: 'FORBIDDEN' }));
  });
});
