import mqtt, { type MqttClient } from 'mqtt';
import { signLocalToken } from '../local/dev-tokens';
import { generateTraffic } from '../local/simulator';
import { startPlatformProcess } from './platform-process';

export interface PipelineRun {
  ratePerSecond: number;
  seconds: number;
  published: number;
  seen: number;
  lost: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

const PORT = 'CNSGH';

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * MQTT publish → state readable through the HTTP API, against the local platform running as `npm start` does (in
 * its own process, the emulators in theirs), with the port simulator's traffic mix (AIS, gates, portal monitors,
 * X-ray, cranes, heartbeats) published at a steady rate by this process, one MQTT client per device.
 * A reader polls `GET /v1/devices` every few ms and notes when each device's accepted + rejected count first
 * reaches each message's sequence number: the device record is written when the message's batch is flushed, so
 * by then all of the message's state is readable. Latency = first seen − publish; lost = published − seen after
 * the stream drained.
 */
export async function benchPipeline(ratePerSecond: number, seconds: number): Promise<PipelineRun> {
  const platform = await startPlatformProcess();
  const clients = new Map<string, MqttClient>();
  const publishedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const seenCount = new Map<string, number>();
  const sentCount = new Map<string, number>();
  let polling = true;
  try {
    const traffic = generateTraffic({ port: PORT, seed: 7, ratePerSecond, durationMs: seconds * 1000 });
    for (const p of traffic) {
      if (clients.has(p.clientId)) continue;
      const c = mqtt.connect(platform.mqttUrl, { clientId: p.clientId, protocolVersion: 4, reconnectPeriod: 0 });
      await new Promise<void>((res, rej) => {
        c.once('connect', () => res());
        c.once('error', rej);
      });
      clients.set(p.clientId, c);
    }

    const reader = (async () => {
      const url = `${platform.httpUrl}/v1/devices?port=${PORT}&limit=100`;
      // The reader is a platform admin's dashboard, with a token signed by the local development key.
      const headers = {
        authorization: `Bearer ${await signLocalToken({ roles: ['platform-admin'], ttlSeconds: 3600 })}`,
      };
      while (polling) {
        const res = await fetch(url, { headers });
        const now = performance.now();
        const body = (await res.json()) as { items: { deviceId: string; accepted: number; rejected: number }[] };
        for (const d of body.items) {
          const count = d.accepted + d.rejected;
          const before = seenCount.get(d.deviceId) ?? 0;
          for (let seq = before + 1; seq <= count; seq++) seenAt.set(`${d.deviceId}#${seq}`, now);
          if (count > before) seenCount.set(d.deviceId, count);
        }
        await new Promise((r) => setTimeout(r, 3));
      }
    })();

    const start = performance.now();
    for (let i = 0; i < traffic.length; i++) {
      const p = traffic[i];
      if (!p) continue;
      // Steady pacing: message i goes at start + i/rate, not in bursts.
      const wait = start + (i * 1000) / ratePerSecond - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const seq = (sentCount.get(p.clientId) ?? 0) + 1;
      sentCount.set(p.clientId, seq);
      publishedAt.set(`${p.clientId}#${seq}`, performance.now());
      const envelope = { ...p.envelope, observedAt: new Date().toISOString() };
      clients.get(p.clientId)?.publish(p.topic, JSON.stringify(envelope), { qos: 1 });
    }
    // Drain: wait until the reader has seen everything, or 30 s without progress.
    let last = -1;
    let lastChange = performance.now();
    while (seenAt.size < publishedAt.size && performance.now() - lastChange < 30_000) {
      if (seenAt.size !== last) {
        last = seenAt.size;
        lastChange = performance.now();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    polling = false;
    await reader;

    const latencies: number[] = [];
    for (const [key, t] of publishedAt) {
      const s = seenAt.get(key);
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
      p90Ms: quantile(latencies, 0.9),
      p99Ms: quantile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
    };
  } finally {
    polling = false;
    await Promise.all([...clients.values()].map((c) => c.endAsync()));
    platform.child.kill('SIGTERM');
    await new Promise((r) => platform.child.once('exit', r));
  }
}
