import { EquipmentTelemetry } from './equipment';
import { EventQueue } from './event-queue';
import { buildFleet, type Fleet } from './fleet';
import { HEARTBEAT_INTERVAL_MS, Heartbeats } from './heartbeats';
import { Outbox, type SimulatedPublish } from './outbox';
import { type PortGeometry, portGeometry } from './ports';
import { RadiationMonitors } from './radiation';
import { hashSeed, SeededRandom } from './random';
import { TimeScale } from './time-scale';
import type { TrafficContext } from './traffic-context';
import { type GateRush, GateTraffic, type TruckTrip } from './trucks';
import type { VesselState } from './vessel-motion';
import { VesselTraffic } from './vessels';
import { XrayScanner } from './xray';

export interface TrafficOptions {
  /** UN/LOCODE of the port to play (see `PORTS`). */
  port: string;
  /**
   * Seed of every random choice; the same seed, port, rate and start time give the same traffic.
   * @default 1
   */
  seed?: number;
  /**
   * Target total publishes per second (wall clock), all devices together.
   * @default 40
   */
  ratePerSecond?: number;
  /**
   * Wall-clock epoch ms of the first instant simulated.
   * @default Date.now()
   */
  startMs?: number;
  /**
   * Port seconds per wall-clock second (see `TimeScale`).
   * @default 60
   */
  timeScale?: number;
  /**
   * Ships in the calling fleet.
   * @default 28
   */
  vesselCount?: number;
  /**
   * Wall-clock ms simulated before `startMs` without publishing, so the traffic is steady from its first second.
   * @default 30000
   */
  warmupMs?: number;
  /**
   * A daily congested gate hour (see `GateRush`); the running simulator has one, the pure traffic only when asked,
   * so that a steady rate stays what tests and benchmarks measure.
   * @default undefined (steady arrivals)
   */
  gateRush?: GateRush;
}

export const DEFAULT_RATE_PER_SECOND = 40;
export const DEFAULT_TIME_SCALE = 60;

/** How the target rate is shared out (wall clock). */
export interface TrafficPlan {
  ratePerSecond: number;
  timeScale: number;
  heartbeatsPerSecond: number;
  /** AIS publishes are set by the ships, not the target: about one a second from the two receivers together. */
  aisPublishesPerSecond: number;
  /** Truck arrivals; each makes a gate-in and a gate-out, two RPM occupancies and sometimes an X-ray scan. */
  trucksPerSecond: number;
  /** Telemetry interval of each crane. */
  equipmentIntervalMs: number;
  /** Per container read. */
  misreadRate: number;
  /** Per RPM occupancy. */
  rpmAlarmRate: number;
  /** Per loaded trip. */
  scanShare: number;
  /** Per X-ray scan. */
  scanAnomalyRate: number;
  /** Per single-sentence AIS message. */
  aisBadChecksumRate: number;
}

const AIS_PUBLISHES_PER_SECOND = 1;
/** The cranes' share of what is left once heartbeats and AIS are counted; trucks get the rest. */
const EQUIPMENT_SHARE = 0.15;
/** No crane PLC reports faster than this; above it, extra rate goes to the gate. */
const MIN_EQUIPMENT_INTERVAL_MS = 200;

/** Shares `ratePerSecond` between the device families, so that the total is steady at the target. */
export function planTraffic(fleet: Fleet, ratePerSecond: number, timeScale: number): TrafficPlan {
  const heartbeatsPerSecond = fleet.all.length / (HEARTBEAT_INTERVAL_MS / 1000);
  const rest = Math.max(0.1, ratePerSecond - heartbeatsPerSecond - AIS_PUBLISHES_PER_SECOND);
  const equipmentPerSecond = Math.min(
    rest * EQUIPMENT_SHARE,
    (fleet.equipment.length * 1000) / MIN_EQUIPMENT_INTERVAL_MS,
  );
  const scanShare = 0.1;
  // Per truck: gate-in, gate-out, an RPM occupancy at each, and a scan for ~10 % of the ~1.1 loaded trips.
  const publishesPerTruck = 4 + scanShare * 1.1;
  return {
    ratePerSecond,
    timeScale,
    heartbeatsPerSecond,
    aisPublishesPerSecond: AIS_PUBLISHES_PER_SECOND,
    trucksPerSecond: (rest - equipmentPerSecond) / publishesPerTruck,
    equipmentIntervalMs: Math.min(60_000, (fleet.equipment.length * 1000) / equipmentPerSecond),
    misreadRate: 0.02,
    rpmAlarmRate: 0.01,
    scanShare,
    scanAnomalyRate: 0.03,
    aisBadChecksumRate: 0.005,
  };
}

/** A running simulation of one port, advanced by the caller's clock. Pure: no I/O, no timers. */
export interface PortTraffic {
  port: PortGeometry;
  fleet: Fleet;
  plan: TrafficPlan;
  runId: string;
  /** The ships (identities and current state), for tests and maps. */
  vessels: readonly VesselState[];
  /** Simulates up to wall-clock `toMs` and returns what the devices published since the last call, in time order. */
  advance(toMs: number): SimulatedPublish[];
  /** Publishes so far per device id (= the last sequence number each device used). */
  counts(): Record<string, number>;
  /** The truck trips that checked in at the gate since the last call (what the declarants know of). */
  drainTrips(): TruckTrip[];
}

/** Builds the port, its devices and its traffic sources, ready to be advanced from `startMs`. */
export function createPortTraffic(options: TrafficOptions): PortTraffic {
  const port = portGeometry(options.port);
  const startMs = options.startMs ?? Date.now();
  const ratePerSecond = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE;
  if (!(ratePerSecond > 0) || !(timeScale > 0)) throw new RangeError('ratePerSecond and timeScale must be positive');
  const fleet = buildFleet(port.code);
  const plan = planTraffic(fleet, ratePerSecond, timeScale);
  const runId = startMs.toString(36);
  const queue = new EventQueue();
  const outbox = new Outbox(runId, startMs);
  const beginMs = startMs - (options.warmupMs ?? 30_000);
  const ctx: TrafficContext = {
    port,
    fleet,
    queue,
    outbox,
    time: new TimeScale(startMs, timeScale),
    beginMs,
    random: new SeededRandom(hashSeed(port.code, options.seed ?? 1)),
    runId,
  };

  const vessels = new VesselTraffic(ctx, {
    vesselCount: options.vesselCount ?? 28,
    badChecksumRate: plan.aisBadChecksumRate,
  });
  const rpm = new RadiationMonitors(ctx, plan.rpmAlarmRate);
  const xray = new XrayScanner(ctx, plan.scanAnomalyRate);
  const gate = new GateTraffic(
    ctx,
    {
      trucksPerSecond: plan.trucksPerSecond,
      misreadRate: plan.misreadRate,
      scanShare: plan.scanShare,
      ...(options.gateRush ? { rush: options.gateRush } : {}),
    },
    rpm,
    xray,
  );
  const equipment = new EquipmentTelemetry(
    ctx,
    { berthedShips: () => vessels.berthedCount(), trucksInYard: () => gate.trucksInYard() },
    plan.equipmentIntervalMs,
  );
  const heartbeats = new Heartbeats(ctx);
  vessels.start();
  gate.start();
  equipment.start();
  heartbeats.start();

  queue.runUntil(startMs);
  let until = startMs;
  return {
    port,
    fleet,
    plan,
    runId,
    vessels: vessels.vessels,
    advance(toMs) {
      // Time only moves forward: a clock that steps back simply yields nothing until it catches up.
      if (toMs > until) {
        queue.runUntil(toMs);
        until = toMs;
      }
      return outbox.drain();
    },
    counts: () => outbox.counts(),
    drainTrips: () => gate.drainTrips(),
  };
}

/**
 * Everything the port's devices publish during `durationMs` of wall-clock time from `startMs`, without MQTT:
 * for tests and benchmarks.
 */
export function generateTraffic(options: TrafficOptions & { durationMs: number }): SimulatedPublish[] {
  const startMs = options.startMs ?? Date.now();
  const traffic = createPortTraffic({ ...options, startMs });
  return traffic.advance(startMs + options.durationMs);
}
