import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK, importJWK, type JWK, SignJWT } from 'jose';
import { connectAsync } from 'mqtt';
import { eventsTopic } from '../../events/v1';
import devKey from '../../local/dev-jwt-key.json';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_KID, signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { ROLES, type Role } from '../../shared/domain/roles';
import { ROUTES } from '../../shared/http/routes';
import { withFreshReference } from '../support/envelopes';
import { seedMatrixIncident } from '../support/incident-fakes';
import {
  expectedStatus,
  OPEN_DECLARATION,
  objectVariants,
  SAMPLE_VALUES,
  sampleBody,
  sampleUrl,
} from '../support/route-samples';

// Authentication and authorization through the local HTTP server, as an agency's client meets them: the local
// JWT authorizer (API Gateway's stand-in) in front of the real API handler. In-process, ephemeral ports, in
// memory, no simulator.

const PORT = 'CNSGH';
let platform: PlatformHandle;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  for (const role of ROLES) tokens.set(role, await signLocalToken({ roles: [role], sub: subOf(role) }));

  // The objects the `/{id}` routes read, so an allowed caller gets a 200 rather than a 404.
  const publishAs = async (deviceClass: 'gate' | 'ais', deviceId: string, kind: string, payload: unknown) => {
    const client = await connectAsync(platform.mqttUrl, { clientId: deviceId, protocolVersion: 4, reconnectPeriod: 0 });
    const body = JSON.stringify({ messageId: randomUUID(), observedAt: new Date().toISOString(), kind, payload });
    await client.publishAsync(eventsTopic({ port: PORT, deviceClass, deviceId }), body, { qos: 1 });
    await client.endAsync();
  };
  await publishAs('gate', SAMPLE_VALUES.deviceId ?? '', 'device.heartbeat', { uptimeS: 1, health: 'ok' });
  await publishAs('ais', 'ais-auth-01', 'ais.nmea', {
    sentences: ['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'], // MMSI 371798000
  });
  if (!(await platform.settle())) throw new Error('the pipeline did not settle');
  // The incident the task routes act on (a dispatched `border` task), written straight into the platform's table.
  await seedMatrixIncident(new DynamoIncidentStore(createDocumentClient(), platform.tableName));
}, 30_000);

afterAll(async () => {
  await platform?.stop();
});

const subOf = (role: Role) => `user-${role}`;

async function call(path: string, authorization?: string, method = 'GET', body?: string) {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${platform.httpUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

/** Lodges the matrix's open declaration as a declarant with this sub; returns its id. */
async function lodgeAs(sub: string): Promise<string> {
  const token = await signLocalToken({ roles: ['declarant'], sub });
  const res = await call(
    '/v1/declarations',
    bearer(token),
    'POST',
    JSON.stringify(withFreshReference(OPEN_DECLARATION)),
  );
  if (res.status !== 201) throw new Error(`lodging failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

const bearer = (token: string) => `Bearer ${token}`;

describe('every route × every role (and no token) × own/other/missing object (generated from ROUTES)', () => {
  const cases = ROUTES.flatMap((route) =>
    [...ROLES, undefined].flatMap((role) =>
      objectVariants(route).map(
        (variant) => [`${route.method} ${route.path}`, role ?? '(no token)', variant, route, role] as const,
      ),
    ),
  );

  it.each(cases)('%s as %s, object: %s', async (_name, _who, variant, route, role) => {
    const token = role ? tokens.get(role) : undefined;
    const values: Record<string, string> = {};
    if (variant === 'own') values.id = await lodgeAs(role ? subOf(role) : 'nobody');
    if (variant === 'other') values.id = await lodgeAs('someone-else');

    const res = await call(
      sampleUrl(route, values, variant),
      token ? bearer(token) : undefined,
      route.method,
      sampleBody(route),
    );

    const expected = expectedStatus(route, role, variant);
    const codes: Record<number, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };
    const code = codes[expected];
    expect({ status: res.status, body: code ? res.body : 'ok' }).toEqual({
      status: expected,
      body: code ? { error: { code, message: expect.any(String) } } : 'ok',
    });
    if (expected === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});

describe('forged and broken tokens are refused with 401', () => {
  const PATH = `/v1/devices?port=${PORT}`;
  const now = () => Math.floor(Date.now() / 1000);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const goodClaims = () => ({
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    sub: 'mallory',
    token_use: 'access',
    'cognito:groups': ['platform-admin'],
    iat: now(),
    exp: now() + 600,
  });
  const signWithDevKey = async (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: LOCAL_KID, typ: 'JWT' })
      .sign(await importJWK(devKey.privateJwk as JWK, 'RS256'));

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  const forged: [string, () => Promise<string>][] = [
    [
      'signed with another key under the local kid',
      async () => new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: LOCAL_KID }).sign(otherKey),
    ],
    [
      'signed with another key under another kid',
      async () => new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'attacker' }).sign(otherKey),
    ],
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT', kid: LOCAL_KID })}.${b64(goodClaims())}.`],
    [
      'HS256 with the public key as the secret',
      async () =>
        new SignJWT(goodClaims())
          .setProtectedHeader({ alg: 'HS256', kid: LOCAL_KID })
          .sign(new TextEncoder().encode(JSON.stringify(await exportJWK(otherKey)))),
    ],
    ['expired', async () => signWithDevKey({ ...goodClaims(), iat: now() - 7200, exp: now() - 3600 })],
    ['not yet valid', async () => signWithDevKey({ ...goodClaims(), nbf: now() + 3600 })],
    ['for another audience', async () => signWithDevKey({ ...goodClaims(), aud: 'someone-else' })],
    ['from another issuer', async () => signWithDevKey({ ...goodClaims(), iss: 'https://evil.example' })],
    [
      'without groups',
      async () => {
        const { 'cognito:groups': _g, ...claims } = goodClaims();
        return signWithDevKey(claims);
      },
    ],
    ['with an empty group list', async () => signWithDevKey({ ...goodClaims(), 'cognito:groups': [] })],
    ['with only an unknown group', async () => signWithDevKey({ ...goodClaims(), 'cognito:groups': ['admins'] })],
    [
      'without a sub',
      async () => {
        const { sub: _s, ...claims } = goodClaims();
        return signWithDevKey(claims);
      },
    ],
    ['an id token instead of an access token', async () => signWithDevKey({ ...goodClaims(), token_use: 'id' })],
    [
      'with a tampered payload',
      async () => {
        const [h, , s] = (await signLocalToken({ roles: ['border'] })).split('.');
        return `${h}.${b64(goodClaims())}.${s}`;
      },
    ],
    ['malformed', async () => 'not.a.jwt'],
    ['empty', async () => ''],
  ];

  it.each(forged)('a token %s', async (_name, make) => {
    const res = await call(PATH, bearer(await make()));

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('refuses a valid token that is not sent as a bearer token', async () => {
    const token = await signLocalToken({ roles: ['platform-admin'] });
    expect((await call(PATH, `Basic ${token}`)).status).toBe(401);
    expect((await call(PATH, token)).status).toBe(401);
  });

  it('accepts the same claims signed with the local key (the forgeries above differ only where stated)', async () => {
    expect((await call(PATH, bearer(await signWithDevKey(goodClaims())))).status).toBe(200);
  });

  it('accepts a token carrying several groups and honours any of them', async () => {
    const token = await signLocalToken({ roles: ['maritime', 'platform-admin'] });
    expect((await call('/v1/dead-letters', bearer(token))).status).toBe(200);
    expect((await call(`/v1/alerts?port=${PORT}`, bearer(token))).status).toBe(200);
  });
});

describe('public routes', () => {
  it('serves /v1/health without a token', async () => {
    expect(await call('/v1/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves the OpenAPI document without a token, listing every route of the table', async () => {
    const res = await call('/v1/openapi.json');

    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const r of ROUTES) expect(doc.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
  });

  it('answers unknown routes 404 without asking for a token, as API Gateway does', async () => {
    expect((await call('/v1/nothing-here')).status).toBe(404);
  });
});
