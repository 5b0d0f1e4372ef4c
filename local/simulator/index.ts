import { MqttDevices } from './mqtt-devices';
import { createPortTraffic, DEFAULT_RATE_PER_SECOND, DEFAULT_TIME_SCALE } from './traffic';
import type { GateRush, TruckTrip } from './trucks';
import type { VesselIdentity } from './vessel-registry';

/**
 * The port simulator: a real seaport's devices (AIS receivers, gate OCR lanes, radiation portal monitors, an X-ray
 * scanner, quay cranes and yard gantries) publishing steady, realistic traffic to the platform's MQTT broker.
 * `npm start` runs it unless `--no-simulator`. The traffic itself is pure and deterministic (`createPortTraffic`,
 * `generateTraffic`); this module only adds the clock and the MQTT connections.
 */
export interface SimulatorOptions {
  mqttUrl: string;
  /** UN/LOCODE of the port to play: CNSGH, NLRTM, DEHAM, SGSIN, KRPUS or USLGB. */
  port: string;
  /** @default 1 */
  seed?: number;
  /**
   * Target total publishes per second, all devices together.
   * @default 40
   */
  ratePerSecond?: number;
  /**
   * Port seconds per wall-clock second: one port day in 24 minutes at the default.
   * @default 60
   */
  timeScale?: number;
  log?: (line: string) => void;
  /**
   * Wall clock, epoch ms (injectable for tests).
   * @default Date.now
   */
  clock?: () => number;
  /**
   * How often due traffic is published; events keep their own observedAt whatever the tick.
   * @default 100
   */
  tickMs?: number;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /**
   * The daily congested gate hour; off when false.
   * @default { startsAfterPortHours: 2 } (the first rush 2–3 port hours in, 2–3 minutes at 60×, then every port day)
   */
  gateRush?: GateRush | false;
  /** Told of the trucks checking in at the gate (the terminal's bookings), once per tick: the simulated declarants. */
  onTrips?: (trips: readonly TruckTrip[]) => void;
}

export interface SimulatorStats {
  /** Publishes the broker acknowledged. */
  published: number;
  /** Acknowledged publishes per device id (each device numbers its messages 1, 2, 3…). */
  byDevice: Record<string, number>;
  /** Publishes that failed (the client gave up on them). */
  failed: number;
  /** Messages generated, acknowledged or not, per device id: the last sequence number each device used. */
  generatedByDevice: Record<string, number>;
}

export interface Simulator {
  stop(): Promise<void>;
  stats(): SimulatorStats;
  /** This run's id (the start time in base 36), port seconds per wall second, and the calling ships. */
  runId: string;
  timeScale: number;
  vessels: readonly VesselIdentity[];
}

/** The default rush: soon enough to be seen in a demo, then once a port day. */
export const DEFAULT_GATE_RUSH: GateRush = { startsAfterPortHours: 2 };

/** How long stop() lets in-flight QoS 1 publishes finish: well inside the platform's 5 s shutdown budget. */
const STOP_GRACE_MS = 1_500;

/** Connects the port's devices to `mqttUrl` and starts publishing; resolves once every device is connected. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? Date.now;
  const traffic = createPortTraffic({
    port: options.port,
    startMs: clock(),
    ratePerSecond: options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
    timeScale: options.timeScale ?? DEFAULT_TIME_SCALE,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.gateRush === false ? {} : { gateRush: options.gateRush ?? DEFAULT_GATE_RUSH }),
  });
  const devices = new MqttDevices({
    mqttUrl: options.mqttUrl,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    log,
  });
  await devices.connect(traffic.fleet.all);

  const failures = new Set<string>();
  const tick = (): void => {
    try {
      for (const message of traffic.advance(clock())) devices.publish(message);
      // Drained every tick, listened to or not, so that trips never pile up.
      const trips = traffic.drainTrips();
      if (trips.length > 0) options.onTrips?.(trips);
    } catch (e) {
      // A bug in one traffic source must not take the whole local platform down with it: say so (once per distinct
      // error, not every 100 ms) and keep the other sources going.
      const what = e instanceof Error ? e.message : String(e);
      if (!failures.has(what)) {
        failures.add(what);
        log(`traffic generation failed: ${what}`);
      }
    }
  };
  const timer = setInterval(tick, options.tickMs ?? 100);
  const { port, plan } = traffic;
  log(
    `simulating ${port.name} (${port.code}): ${traffic.fleet.all.length} devices, ${traffic.vessels.length} ships, ` +
      `~${plan.ratePerSecond} msg/s, port time x${plan.timeScale} (a port day in ${Math.round(1440 / plan.timeScale)} min)`,
  );

  let stopped: Promise<void> | undefined;
  const rush = options.gateRush === false ? undefined : (options.gateRush ?? DEFAULT_GATE_RUSH);
  if (rush) {
    log(
      `gate rush: ${rush.factor ?? 3}x arrivals for ${rush.durationPortHours ?? 1} port hour(s) every ${rush.everyPortHours ?? 24}, ` +
        `the first ${rush.startsAfterPortHours} port hours from now`,
    );
  }
  return {
    runId: traffic.runId,
    timeScale: plan.timeScale,
    vessels: traffic.vessels.map((v) => v.identity),
    stats: () => ({ ...devices.stats(), generatedByDevice: traffic.counts() }),
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await devices.close(STOP_GRACE_MS);
        log(`stopped after ${devices.stats().published} publishes`);
      })();
      return stopped;
    },
  };
}

export type { Fleet, GateLane, SimulatedDevice } from './fleet';
export { buildFleet } from './fleet';
export type { SimulatedPublish } from './outbox';
export { sequenceOf, simulatedMessageId } from './outbox';
export type { PortGeometry } from './ports';
export { PORTS, portGeometry, UnknownPortError } from './ports';
export { SeededRandom } from './random';
export type { PortTraffic, TrafficOptions, TrafficPlan } from './traffic';
export { createPortTraffic, generateTraffic, planTraffic } from './traffic';
export type { GateRush, TruckTrip } from './trucks';
export { inRush, rushRateFactor } from './trucks';
export type { VesselState } from './vessel-motion';
export type { VesselIdentity } from './vessel-registry';
