import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { DeclarationInput } from '../../events/v1/declaration';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { ROLES, type Role } from '../../shared/domain/roles';
import { callerFromClaims, fromApiGatewayEvent, parseGroups } from '../../shared/http/api-gateway';
import type { Caller } from '../../shared/http/api-types';
import { authorizeObject, type ObjectPolicy } from '../../shared/http/authorize';
import { createRouter } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';
import type { PortReader } from '../../shared/ports/port-reader';
import {
  type DeclarationDependencies,
  lodgeDeclaration,
  selectivitySettingsFromSeed,
} from '../../shared/use-cases/declarations';
import type { IncidentDependencies } from '../../shared/use-cases/incidents';
import { currentProfileSource, type RiskRuleDependencies } from '../../shared/use-cases/risk-rules';
import { withFreshReference } from '../support/envelopes';
import { InMemoryDeclarationStore } from '../support/in-memory-declaration-store';
import { InMemoryIncidentStore } from '../support/in-memory-incident-store';
import { InMemoryPerformanceStore } from '../support/in-memory-performance-store';
import { InMemoryRiskRuleStore } from '../support/in-memory-risk-rule-store';
import { InMemoryRuleHitStore } from '../support/in-memory-rule-hit-store';
import {
  RecordingCallbacks,
  RecordingNotifier,
  RecordingWorkflow,
  seedMatrixIncident,
} from '../support/incident-fakes';
import {
  expectedStatus,
  MISSING_VALUES,
  OPEN_DECLARATION,
  objectVariants,
  sampleBody,
  sampleUrl,
} from '../support/route-samples';

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
  getVessel: async (mmsi) => (String(mmsi) === MISSING_VALUES.mmsi ? undefined : { mmsi, port: 'CNSGH' }),
  listGateVisits: empty,
  listDevices: empty,
  getDevice: async (deviceId) => (deviceId === device.deviceId ? device : undefined),
  listDeadLetters: empty,
  listAlerts: empty,
};
const riskRules: RiskRuleDependencies = {
  store: new InMemoryRiskRuleStore(),
  seed: DEFAULT_RISK_PROFILE,
  hits: new InMemoryRuleHitStore(),
};
const declarations: DeclarationDependencies = {
  store: new InMemoryDeclarationStore(),
  servedPort: 'CNSGH',
  profile: currentProfileSource(riskRules),
  settings: selectivitySettingsFromSeed('unit-test-selectivity-seed'),
};
const incidentStore = new InMemoryIncidentStore();
const incidents: IncidentDependencies = {
  store: incidentStore,
  workflow: new RecordingWorkflow(),
  notifier: new RecordingNotifier(),
  callbacks: new RecordingCallbacks(),
  servedPort: 'CNSGH',
};
beforeAll(() => seedMatrixIncident(incidentStore));
// Performance routes read an empty store: every KPI with n = 0 (the evaluation itself is tested elsewhere).
const performance = { store: new InMemoryPerformanceStore(), ports: ['CNSGH'] };
const route = createRouter(ROUTES, { reader, declarations, riskRules, incidents, performance }, (e) => {
  throw e;
});

/** The event API Gateway sends: with `requestContext.authorizer.jwt` when its JWT authorizer ran. */
function event(url: string, claims?: Record<string, string>, method = 'GET', body?: string): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = url.split('?');
  const queryStringParameters = Object.fromEntries(new URLSearchParams(rawQueryString));
  const base: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {},
    queryStringParameters,
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'a',
      domainName: 'x',
      domainPrefix: 'x',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
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

/** Lodges the matrix's open declaration as `sub` and returns its id. */
async function lodgeAs(sub: string): Promise<string> {
  const input = DeclarationInput.parse(withFreshReference(OPEN_DECLARATION));
  return (await lodgeDeclaration(declarations, { sub, roles: ['declarant'] }, input)).id;
}

describe('route access in the router: every route × every role (and no caller) × own/other/missing object', () => {
  const cases = ROUTES.flatMap((r) =>
    [...ROLES, undefined].flatMap((role) => objectVariants(r).map((variant) => ({ r, role, variant }))),
  );

  it.each(
    cases.map(({ r, role, variant }) => [`${r.method} ${r.path}`, role ?? '(no caller)', variant, r, role] as const),
  )('%s as %s, object: %s', async (_name, _who, variant, r, role: Role | undefined) => {
    const claims = role ? claimsFor(role) : undefined;
    const values: Record<string, string> = {};
    if (variant === 'own') values.id = await lodgeAs(claims?.sub ?? 'nobody');
    if (variant === 'other') values.id = await lodgeAs('someone-else');

    const res = await route(fromApiGatewayEvent(event(sampleUrl(r, values, variant), claims, r.method, sampleBody(r))));

    const expected = expectedStatus(r, role, variant);
    expect({ status: res.status, body: res.status === expected ? 'as expected' : res.body }).toEqual({
      status: expected,
      body: 'as expected',
    });
    if (expected === 401) {
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      expect(res.headers?.['www-authenticate']).toMatch(/^Bearer/);
    }
    if (expected === 403) expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    if (expected === 404) expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('refuses with 403 a caller whose groups hold no role', async () => {
    const res = await route(
      fromApiGatewayEvent(event('/v1/devices?port=CNSGH', { sub: 'u', 'cognito:groups': '[nobody]' })),
    );
    expect(res.status).toBe(403);
  });
});

describe('roles per route (CONTRACT.md §3)', () => {
  const accessOf = (key: string) => {
    const [method, path] = key.includes(' ') ? key.split(' ') : ['GET', key];
    return ROUTES.find((r) => r.path === path && r.method === method)?.access;
  };
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
    ['POST /v1/declarations', ['declarant', 'customs-officer']],
    ['GET /v1/declarations', ['declarant', ...agencies]],
    ['GET /v1/declarations/{id}', ['declarant', ...agencies]],
    ['POST /v1/declarations/{id}/decisions', ['customs-officer']],
    ['GET /v1/declarations/{id}/audit', ['customs-officer', 'customs-risk']],
    ['GET /v1/incidents', [...agencies, 'port-operator']],
    ['GET /v1/incidents/{incidentId}', [...agencies, 'port-operator']],
    ['POST /v1/incidents', [...agencies, 'port-operator']],
    [
      'POST /v1/incidents/{incidentId}/tasks/{taskId}/ack',
      ['customs-officer', 'border', 'maritime', 'quarantine', 'port-operator'],
    ],
    [
      'POST /v1/incidents/{incidentId}/tasks/{taskId}/complete',
      ['customs-officer', 'border', 'maritime', 'quarantine', 'port-operator'],
    ],
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
