import mqtt, { type MqttClient } from 'mqtt';
import { eventsTopic } from '../events/v1';
import { startPlatform } from '../local/platform';

export interface PipelineRun {
  ratePerSecond: number;
  seconds: number;
  published: number;
  seen: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const PORT = 'CNSGH';
const DEVICES = 16;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * MQTT publish → state readable through the HTTP API, on the local platform, at a steady rate. Each message is a
 * gate-in with a unique plate; a reader polls `GET /v1/gate/visits` (newest first) every few ms and notes when
 * each plate first appears. Latency = first seen − publish time; lost = published − seen once the stream drained.
 */
export async function benchPipeline(ratePerSecond: number, seconds: number): Promise<PipelineRun> {
  const platform = await startPlatform({ simulator: false, progressIntervalMs: false, log: () => undefined });
  const clients: MqttClient[] = [];
  const publishedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let polling = true;
  try {
    for (let d = 0; d < DEVICES; d++) {
      const id = `bench-gate-${d}`;
      const c = mqtt.connect(platform.mqttUrl, { clientId: id, protocolVersion: 4, reconnectPeriod: 0 });
      await new Promise<void>((res, rej) => {
        c.once('connect', () => res());
        c.once('error', rej);
      });
      clients.push(c);
    }

    const poller = (async () => {
      const url = `${platform.httpUrl}/v1/gate/visits?port=${PORT}&limit=100`;
      while (polling) {
        const res = await fetch(url);
        const now = performance.now();
        const body = (await res.json()) as { items: { plate: string }[] };
        for (const v of body.items) if (!seenAt.has(v.plate)) seenAt.set(v.plate, now);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    const total = ratePerSecond * seconds;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      // Steady pacing: publish message i at start + i/rate, not in bursts.
      const due = start + (i * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const d = i % DEVICES;
      const plate = `B${ratePerSecond}X${i}`;
      const client = clients[d];
      if (!client) throw new Error('no client');
      const envelope = {
        messageId: `bench-${ratePerSecond}-${i}`,
        observedAt: new Date().toISOString(),
        kind: 'gate.transaction',
        payload: { laneId: `IN-${d}`, direction: 'in', plate, containers: ['CSQU3054383'], ocrConfidence: 0.95 },
      };
      publishedAt.set(plate, performance.now());
      client.publish(
        eventsTopic({ port: PORT, deviceClass: 'gate', deviceId: `bench-gate-${d}` }),
        JSON.stringify(envelope),
        {
          qos: 1,
        },
      );
    }
    // Drain: wait until everything routed was ingested and the reader caught up (bounded).
    await platform.settle(30_000);
    const drainEnd = performance.now() + 5_000;
    while (seenAt.size < publishedAt.size && performance.now() < drainEnd) await new Promise((r) => setTimeout(r, 20));
    polling = false;
    await poller;

    const latencies: number[] = [];
    for (const [plate, t] of publishedAt) {
      const s = seenAt.get(plate);
      if (s !== undefined) latencies.push(s - t);
    }
    latencies.sort((a, b) => a - b);
    return {
      ratePerSecond,
      seconds,
      published: publishedAt.size,
      seen: latencies.length,
      lost: publishedAt.size - latencies.length,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
    };
  } finally {
    polling = false;
    await Promise.all(clients.map((c) => c.endAsync()));
    await platform.stop();
  }
}
