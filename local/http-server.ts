import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { ApiGatewayEvent } from '../shared/http/api-gateway';
import type { JwtAuthorizer } from './jwt-authorizer';
import { lambdaContext } from './lambda-context';
import { listenOnLoopback } from './loopback';

/**
 * The local API Gateway (HTTP API, payload format 2.0): a node:http server on 127.0.0.1 that turns each request
 * into the event API Gateway would send and writes the handler's result back. The API handler routes by itself
 * (shared/http/routes.ts). With `auth`, the server also plays the JWT authorizer that the cloud attaches to every
 * non-public route: it refuses a missing or bad token with 401 before the handler runs, and otherwise passes the
 * verified claims in `requestContext.authorizer.jwt`, the only place the handler reads the caller from.
 */

export type ApiHandler = (event: ApiGatewayEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Request bodies above this are answered 413 without calling the handler. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  /** 0 picks a free port. */
  port: number;
  handler: ApiHandler;
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  region?: string;
  log?: (message: string) => void;
  /** The JWT authorizer and which requests it guards. @default none: every request reaches the handler */
  auth?: HttpServerAuth;
}

export interface HttpServerAuth {
  authorizer: JwtAuthorizer;
  /** Whether API Gateway would run the authorizer for this request (true for every non-public route). */
  needsToken: (method: string, path: string) => boolean;
}

export interface HttpServer {
  port: number;
  url: string;
  stats(): { requests: number; errors: number };
  stop(): Promise<void>;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded with isBase64Encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|.*\+xml|x-www-form-urlencoded|javascript))/i;

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = options.log ?? (() => {});
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const counts = { requests: 0, errors: 0 };

  const server: Server = createServer((req, res) => {
    counts.requests++;
    handle(req, res).catch((e: unknown) => {
      counts.errors++;
      log(`${req.method} ${req.url} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error; it has been logged');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return tooLarge(req, res);
    const body = await readBody(req);
    if (body === 'too-large') return tooLarge(req, res);
    const event: ApiGatewayEvent = toApiGatewayEvent(req, body);
    const auth = options.auth;
    if (auth?.needsToken(event.requestContext.http.method, event.rawPath)) {
      const verdict = auth.authorizer.authorize(event.headers.authorization);
      if (!verdict.ok) {
        log(`401 ${event.requestContext.http.method} ${event.rawPath}: ${verdict.reason}`);
        return sendError(res, 401, 'UNAUTHORIZED', 'a valid bearer token is required', {
          'www-authenticate': 'Bearer realm="kouan", error="invalid_token"',
          'apigw-requestid': event.requestContext.requestId,
        });
      }
      withJwtAuthorizer(event, verdict.claims, verdict.scopes);
    }
    const result = await options.handler(event, lambdaContext('kouan-api', region, 30_000));
    writeResult(res, result, event.requestContext.requestId);
  }

  const port = await listenOnLoopback(server, options.port);

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (fetch keeps them) would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

/** The API Gateway HTTP API event (payload format 2.0) for one request. Exported for tests. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer | undefined,
  now = new Date(),
): APIGatewayProxyEventV2 {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);

  // API Gateway lower-cases header names, joins repeated headers with commas and moves cookies to `cookies`.
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') continue;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = headers.host ?? '127.0.0.1';
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');

  // Repeated query parameters arrive comma-joined, values decoded (payload format 2.0).
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
  }

  const isText = body !== undefined && TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const domainName = host.split(':')[0] ?? host;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: safeDecode(rawPath),
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(12).toString('base64url'),
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined && body.length > 0
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}

/** Adds what API Gateway's JWT authorizer adds to the request context of a route it guards. */
function withJwtAuthorizer(
  event: APIGatewayProxyEventV2,
  claims: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'],
  scopes: string[],
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const authorized = event as APIGatewayProxyEventV2WithJWTAuthorizer;
  authorized.requestContext.authorizer = { principalId: '', integrationLatency: 0, jwt: { claims, scopes } };
  return authorized;
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string): void {
  const body =
    result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  res.setHeader('apigw-requestid', requestId);
  if (body) res.setHeader('content-length', body.length);
  res.end(body);
}

/** Reads the body, or reports 'too-large' as soon as it passes MAX_BODY_BYTES (chunked uploads have no length). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length ? Buffer.concat(chunks) : undefined);
    });
    req.on('error', reject);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  // Close after answering: the client may still be sending a body nobody will read.
  res.setHeader('connection', 'close');
  sendError(res, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`);
  res.on('finish', () => req.destroy());
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `17/Jun/2024:15:52:39 +0000`, the format of `requestContext.time`. */
function apiGatewayTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
