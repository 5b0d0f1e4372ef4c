import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { signLocalToken } from '../../local/dev-tokens';
import { type HttpServer, startHttpServer } from '../../local/http-server';
import { createJwtAuthorizer } from '../../local/jwt-authorizer';

// The local API Gateway: the event the API handler gets must look like the one API Gateway sends (HTTP API,
// payload format 2.0), and the handler's result must come back as the HTTP response. A stand-in handler records
// what it was given.

/**
 * The fields of a real HTTP API event (aws-lambda-go's `apigw-v2-request-no-authorizer.json` and Powertools'
 * `apigw-http_no-auth.json`), without `authentication` (mTLS only) and `body` (only when there is one).
 */
const EVENT_FIELDS = [
  'version',
  'routeKey',
  'rawPath',
  'rawQueryString',
  'headers',
  'requestContext',
  'isBase64Encoded',
];
const REQUEST_CONTEXT_FIELDS = [
  'accountId',
  'apiId',
  'domainName',
  'domainPrefix',
  'http',
  'requestId',
  'routeKey',
  'stage',
  'time',
  'timeEpoch',
];

let server: HttpServer;
let seen: APIGatewayProxyEventV2[] = [];
let reply: APIGatewayProxyStructuredResultV2 = { statusCode: 200, body: '{}' };

beforeAll(async () => {
  server = await startHttpServer({
    port: 0,
    handler: async (event) => {
      seen.push(event);
      return reply;
    },
  });
});

beforeEach(() => {
  seen = [];
  reply = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
});

afterAll(async () => {
  await server.stop();
});

describe('local API Gateway (HTTP API, payload format 2.0)', () => {
  it('builds an event with the same fields API Gateway sends', async () => {
    const res = await fetch(`${server.url}/v1/gate/visits?port=CNSGH&plate=HU%201234&tag=a&tag=b`, {
      headers: { 'X-Custom': 'One', cookie: 'a=1; b=2', 'user-agent': 'e2e-test' },
    });

    expect(res.status).toBe(200);
    const event = seen[0];
    if (!event) throw new Error('handler not called');
    for (const key of EVENT_FIELDS) expect(event).toHaveProperty(key);
    for (const key of REQUEST_CONTEXT_FIELDS) expect(event.requestContext).toHaveProperty(key);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/gate/visits',
      rawQueryString: 'port=CNSGH&plate=HU%201234&tag=a&tag=b',
      queryStringParameters: { port: 'CNSGH', plate: 'HU 1234', tag: 'a,b' },
      cookies: ['a=1', 'b=2'],
      isBase64Encoded: false,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        stage: '$default',
        routeKey: '$default',
        http: {
          method: 'GET',
          path: '/v1/gate/visits',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'e2e-test',
        },
      },
    });
    expect(event.headers['x-custom']).toBe('One');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5000);
    expect(res.headers.get('apigw-requestid')).toBe(event.requestContext.requestId);
  });

  it('passes JSON bodies as text and binary bodies base64-encoded', async () => {
    await fetch(`${server.url}/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    await fetch(`${server.url}/v1/things`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });

    expect(seen[0]).toMatchObject({
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' } },
    });
    expect(seen[1]).toMatchObject({ body: 'AP8B', isBase64Encoded: true, requestContext: { http: { method: 'PUT' } } });
  });

  it("writes the handler's status, headers, cookies and base64 body back", async () => {
    reply = {
      statusCode: 201,
      headers: { 'content-type': 'application/octet-stream', 'x-count': 3 },
      cookies: ['s=1; HttpOnly'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    };

    const res = await fetch(`${server.url}/v1/x`);

    expect(res.status).toBe(201);
    expect(res.headers.get('x-count')).toBe('3');
    expect(res.headers.get('set-cookie')).toBe('s=1; HttpOnly');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('answers 413 without calling the handler when the body is over 1 MB', async () => {
    const res = await fetch(`${server.url}/v1/x`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });

    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    expect(seen).toHaveLength(0);
  });

  it('answers 500 with the error shape, revealing nothing, when the handler throws', async () => {
    const throwing = await startHttpServer({
      port: 0,
      handler: async () => {
        throw new Error('secret detail');
      },
    });
    try {
      const res = await fetch(`${throwing.url}/v1/x`);
      const text = await res.text();

      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(text).not.toContain('secret detail');
    } finally {
      await throwing.stop();
    }
  });
});

describe('local HTTP server as the JWT authorizer', () => {
  let guarded: HttpServer;
  let events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];

  beforeAll(async () => {
    guarded = await startHttpServer({
      port: 0,
      handler: async (event) => {
        events.push(event as APIGatewayProxyEventV2WithJWTAuthorizer);
        return { statusCode: 200, body: '{}' };
      },
      auth: { authorizer: createJwtAuthorizer(), needsToken: (_method, path) => path !== '/open' },
    });
  });

  beforeEach(() => {
    events = [];
  });

  afterAll(async () => {
    await guarded.stop();
  });

  it('passes the verified claims as API Gateway does: every value a string, groups as `[a b]`', async () => {
    const token = await signLocalToken({ roles: ['customs-officer', 'border'], sub: 'officer-7', ttlSeconds: 60 });

    const res = await fetch(`${guarded.url}/guarded`, { headers: { authorization: `Bearer ${token}` } });

    expect(res.status).toBe(200);
    const jwt = events[0]?.requestContext.authorizer.jwt;
    expect(jwt?.claims).toEqual({
      sub: 'officer-7',
      username: 'officer-7',
      iss: 'kouan-local',
      aud: 'kouan-api',
      token_use: 'access',
      'cognito:groups': '[customs-officer border]',
      iat: expect.stringMatching(/^\d+$/),
      exp: expect.stringMatching(/^\d+$/),
    });
    expect(jwt?.scopes).toEqual([]);
  });

  it('answers 401 with the error shape and a Bearer challenge without calling the handler', async () => {
    const res = await fetch(`${guarded.url}/guarded`);

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(events).toHaveLength(0);
  });

  it('lets requests the authorizer does not guard through without claims', async () => {
    const res = await fetch(`${guarded.url}/open`, { headers: { authorization: 'Bearer not-checked-here' } });

    expect(res.status).toBe(200);
    expect('authorizer' in (events[0]?.requestContext ?? {})).toBe(false);
  });
});
