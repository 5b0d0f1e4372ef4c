import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type EventBridgeEndpoint, loopbackWebhook, startEventBridgeEndpoint } from '../../local/eventbridge-endpoint';
import { listenOnLoopback } from '../../local/loopback';
import {
  EventBridgeNotifier,
  NOTIFICATION_SOURCE,
  NotificationRejectedError,
} from '../../shared/adapters/eventbridge/eventbridge-notifier';
import type { AgencyNotification } from '../../shared/ports/incident-workflow';

// The real EventBridgeClient against the local notification feed (AWS JSON 1.1 PutEvents on loopback).

const notification: AgencyNotification = {
  type: 'task.dispatched',
  incidentId: 'INC-0123',
  taskId: 'border',
  audience: 'border',
  at: '2026-11-26T08:00:00.000Z',
  detail: { notificationId: 'INC-0123.border.task.dispatched.1', dueAt: '2026-11-26T08:30:00.000Z' },
};

const client = (endpoint: string) =>
  new EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

describe('local EventBridge feed', () => {
  let dir: string;
  let feed: EventBridgeEndpoint;
  const received: unknown[] = [];
  const webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end();
    });
  });
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kouan-notify-'));
    const port = await listenOnLoopback(webhook, 0);
    feed = await startEventBridgeEndpoint({
      port: 0,
      dataDir: dir,
      webhookUrl: `http://127.0.0.1:${port}/hook`,
      log: (l) => lines.push(l),
    });
  });
  afterAll(async () => {
    await feed?.stop();
    await new Promise<void>((r) => webhook.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes PutEvents from the real client: in memory, in notifications.jsonl, one log line, on the webhook', async () => {
    await new EventBridgeNotifier(client(feed.url), 'kouan-test').notify(notification);

    const [n] = feed.recent();
    expect(n).toMatchObject({
      busName: 'kouan-test',
      source: NOTIFICATION_SOURCE,
      detailType: 'task.dispatched',
      detail: notification,
    });
    const file = readFileSync(join(dir, 'notifications.jsonl'), 'utf8').trim().split('\n');
    expect(file.map((l) => JSON.parse(l))).toEqual([n]);
    expect(lines).toEqual(['task.dispatched INC-0123 border → border']);
    expect(received).toEqual([n]);
  });

  it('lists the last notifications on GET /', async () => {
    const res = await fetch(feed.url);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses a webhook that is not on loopback', () => {
    expect(() => loopbackWebhook('https://hooks.example.com/x')).toThrow(/loopback/);
    expect(() => loopbackWebhook('http://10.0.0.1/x')).toThrow(/loopback/);
    expect(loopbackWebhook('http://localhost:9000/x')?.port).toBe('9000');
    expect(loopbackWebhook(undefined)).toBeUndefined();
  });

  it('makes the notifier throw when the endpoint rejects the entry (so the step is retried)', async () => {
    const rejecting = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          FailedEntryCount: 1,
          Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
        }),
      );
    });
    const port = await listenOnLoopback(rejecting, 0);
    try {
      await expect(
        new EventBridgeNotifier(client(`http://127.0.0.1:${port}`), 'kouan-test').notify(notification),
      ).rejects.toBeInstanceOf(NotificationRejectedError);
    } finally {
      await new Promise<void>((r) => rejecting.close(() => r()));
    }
  });
});
