import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { listenOnLoopback, readBody, replyJson } from './loopback';

/**
 * The one call of the EventBridge API the platform makes (`PutEvents`, AWS JSON 1.1), served on loopback so the real
 * `EventBridgeClient` works locally through `AWS_ENDPOINT_URL_EVENTBRIDGE`: the notifier has no local branch. This is
 * the local feed of agency notifications: each event is appended to `<dataDir>/notifications.jsonl`, kept in memory
 * (the last `keep`; `GET /` on the endpoint lists them), logged as one readable line, and optionally POSTed to a
 * webhook on loopback (`KOUAN_WEBHOOK_URL`; nothing leaves the machine).
 */
export interface LocalNotification {
  eventId: string;
  receivedAt: string;
  busName: string;
  source: string;
  detailType: string;
  detail: unknown;
}

export interface EventBridgeEndpoint {
  port: number;
  url: string;
  /** The newest last. */
  recent(): LocalNotification[];
  stop(): Promise<void>;
}

export interface EventBridgeEndpointOptions {
  /** 0 picks a free port. */
  port: number;
  /** Appends to `<dataDir>/notifications.jsonl` when set. */
  dataDir?: string;
  /** How many events to keep in memory. @default 500 */
  keep?: number;
  /** A loopback URL each event is POSTed to (best effort: a failing webhook is logged, the event still counts). */
  webhookUrl?: string;
  log?: (message: string) => void;
}

const MAX_BODY_BYTES = 256 * 1024;
const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuses a webhook that is not on this machine. */
export function loopbackWebhook(url: string | undefined): URL | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(`KOUAN_WEBHOOK_URL must be an http:// URL on loopback (127.0.0.1), got ${url}`);
  }
  return parsed;
}

interface PutEventsEntry {
  EventBusName?: unknown;
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
}

/** One line a person reads: `task.dispatched INC-… customs → customs-officer`. */
export function readableLine(n: LocalNotification): string {
  const d = (typeof n.detail === 'object' && n.detail !== null ? n.detail : {}) as Record<string, unknown>;
  const inner = (typeof d.detail === 'object' && d.detail !== null ? d.detail : {}) as Record<string, unknown>;
  const parts = [
    n.detailType,
    typeof d.incidentId === 'string' ? d.incidentId : '',
    typeof d.taskId === 'string' ? d.taskId : '',
    typeof d.audience === 'string' ? `→ ${d.audience}` : '',
    typeof inner.outcome === 'string' ? `outcome ${inner.outcome}` : '',
    typeof inner.summary === 'string' && n.detailType === 'incident.raised' ? `“${inner.summary}”` : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}

export async function startEventBridgeEndpoint(options: EventBridgeEndpointOptions): Promise<EventBridgeEndpoint> {
  const keep = options.keep ?? 500;
  const recent: LocalNotification[] = [];
  const file = options.dataDir ? join(options.dataDir, 'notifications.jsonl') : undefined;
  if (file) mkdirSync(dirname(file), { recursive: true });
  const webhook = loopbackWebhook(options.webhookUrl);

  const deliver = async (n: LocalNotification) => {
    recent.push(n);
    if (recent.length > keep) recent.splice(0, recent.length - keep);
    if (file) appendFileSync(file, `${JSON.stringify(n)}\n`);
    options.log?.(readableLine(n));
    if (webhook) {
      try {
        const res = await fetch(webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(n),
          signal: AbortSignal.timeout(2000),
        });
        if (!res.ok) options.log?.(`webhook answered ${res.status} for ${n.eventId}`);
      } catch (e) {
        options.log?.(`webhook failed for ${n.eventId}: ${(e as Error).message}`);
      }
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET') return replyJson(res, 200, { items: recent }, AMZ_JSON_1_1);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
        return replyJson(
          res,
          400,
          {
            __type: 'UnknownOperationException',
            message: `only AWSEvents.PutEvents is served here, not ${target || req.method}`,
          },
          AMZ_JSON_1_1,
        );
      }
      const raw = (await readBody(req, MAX_BODY_BYTES))?.toString('utf8');
      if (raw === undefined)
        return replyJson(res, 413, { __type: 'ValidationException', message: 'request too large' }, AMZ_JSON_1_1);
      const body = JSON.parse(raw) as { Entries?: PutEventsEntry[] };
      const entries = Array.isArray(body.Entries) ? body.Entries : [];
      if (entries.length === 0 || entries.length > 10) {
        return replyJson(
          res,
          400,
          { __type: 'ValidationException', message: 'Entries must hold 1 to 10 events' },
          AMZ_JSON_1_1,
        );
      }
      const results: Record<string, string>[] = [];
      let failed = 0;
      for (const e of entries) {
        if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || typeof e.Detail !== 'string') {
          failed++;
          results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' });
          continue;
        }
        let detail: unknown;
        try {
          detail = JSON.parse(e.Detail);
        } catch {
          failed++;
          results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' });
          continue;
        }
        const n: LocalNotification = {
          eventId: randomUUID(),
          receivedAt: new Date().toISOString(),
          busName: typeof e.EventBusName === 'string' ? e.EventBusName : 'default',
          source: e.Source,
          detailType: e.DetailType,
          detail,
        };
        await deliver(n);
        results.push({ EventId: n.eventId });
      }
      replyJson(res, 200, { FailedEntryCount: failed, Entries: results }, AMZ_JSON_1_1);
    })().catch((e: unknown) => {
      options.log?.(`eventbridge put failed: ${(e as Error).message}`);
      if (!res.headersSent)
        replyJson(res, 500, { __type: 'InternalException', message: (e as Error).message }, AMZ_JSON_1_1);
    });
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    recent: () => [...recent],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
