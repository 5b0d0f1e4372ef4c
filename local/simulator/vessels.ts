import type { AisMessage } from '../../shared/domain/ais';
import { AisReceiver } from './ais-receiver';
import { distanceNm, interpolate } from './geo';
import type { SeededRandom } from './random';
import { jittered, type TrafficContext } from './traffic-context';
import {
  advanceVessel,
  initialVesselState,
  isUnderWay,
  type MotionContext,
  navStatusOf,
  type VesselState,
} from './vessel-motion';
import { buildVesselRegistry } from './vessel-registry';

export interface VesselTrafficOptions {
  /** Ships in the calling fleet (class A and B together). */
  vesselCount: number;
  /** Share of single-sentence messages received with a corrupt checksum. */
  badChecksumRate: number;
}

/** How often a receiver forwards what it heard (wall clock). */
const FLUSH_INTERVAL_MS = 2_000;
/** Static and voyage data (type 5, type 24 A/B): every 6 minutes by M.1371, every minute here so a demo fills in. */
const STATIC_INTERVAL_MS = 60_000;
/** While a ship is out of range its state is still advanced, to notice when the next call begins. */
const SILENT_CHECK_MS = 30_000;

/**
 * Position report intervals, wall clock: M.1371's (2–10 s under way, 3 min at anchor or moored for class A; 30 s
 * and 3 min for class B) shortened for stationary ships so a map of the compressed port stays lively.
 */
function reportIntervalMs(v: VesselState): number {
  if (v.identity.aisClass === 'B') return isUnderWay(v) ? 10_000 : 60_000;
  if (!isUnderWay(v)) return 20_000;
  return v.sog > 14 ? 2_000 : 4_000;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Course rounded to 0.1°, kept below 360 (which means "not available"). */
const cogField = (deg: number): number => {
  const c = round1(deg);
  return c >= 360 ? 0 : c;
};

/** ROT_AIS = 4.733·√(°/min), signed, up to ±126; 0 when not turning. */
function rotField(degPerMin: number): number {
  if (Math.abs(degPerMin) < 0.5) return 0;
  return Math.sign(degPerMin) * Math.min(126, Math.round(4.733 * Math.sqrt(Math.abs(degPerMin))));
}

function utcEta(realMs: number): { month: number; day: number; hour: number; minute: number } {
  const d = new Date(realMs);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/**
 * The ships around the port and the shore AIS receivers that hear them. Each ship reports its position on its own
 * schedule to the nearer receiver; each receiver forwards its queue every two seconds as one `ais.nmea` publish.
 */
export class VesselTraffic {
  readonly vessels: VesselState[];
  private readonly receivers: AisReceiver[];
  private readonly motion: MotionContext;
  private readonly random: SeededRandom;

  constructor(
    private readonly ctx: TrafficContext,
    options: VesselTrafficOptions,
  ) {
    const { port, fleet } = ctx;
    this.random = ctx.random.fork('vessels');
    this.motion = { port, random: ctx.random.fork('vessel-motion') };
    const registry = buildVesselRegistry(port, ctx.random.fork('vessel-registry'), options.vesselCount);
    const now = ctx.time.toPort(ctx.beginMs);
    this.vessels = registry.map((identity) => initialVesselState(identity, now, this.motion));
    // One receiver on the terminal's quay, one overlooking the anchorage.
    const sites = [interpolate(port.berthLine[0], port.berthLine[1], 0.5), port.anchorage.centre];
    this.receivers = fleet.aisReceivers.map(
      (device, i) =>
        new AisReceiver(device, sites[i] ?? port.centre, ctx.random.fork(`ais-receiver-${i}`), options.badChecksumRate),
    );
  }

  /** Ships alongside a berth now (the quay cranes work when there are some). */
  berthedCount(): number {
    return this.vessels.filter((v) => v.phase === 'berthed').length;
  }

  start(): void {
    const { queue } = this.ctx;
    const t0 = this.ctx.beginMs;
    for (const v of this.vessels) {
      queue.schedule(t0 + this.random.range(0, reportIntervalMs(v)), (at) => this.report(v, at));
      queue.schedule(t0 + this.random.range(0, STATIC_INTERVAL_MS), (at) => this.reportStatic(v, at));
    }
    this.receivers.forEach((receiver, i) => {
      queue.schedule(t0 + FLUSH_INTERVAL_MS * (0.5 + i / this.receivers.length), (at) => this.flush(receiver, at));
    });
  }

  private report(v: VesselState, at: number): void {
    advanceVessel(v, this.ctx.time.toPort(at), this.motion);
    if (v.phase === 'at-sea') {
      this.ctx.queue.schedule(at + SILENT_CHECK_MS, (next) => this.report(v, next));
      return;
    }
    this.nearestReceiver(v).hear(this.positionReport(v, at));
    this.ctx.queue.schedule(at + jittered(this.random, reportIntervalMs(v)), (next) => this.report(v, next));
  }

  private reportStatic(v: VesselState, at: number): void {
    this.ctx.queue.schedule(at + jittered(this.random, STATIC_INTERVAL_MS), (next) => this.reportStatic(v, next));
    if (v.phase === 'at-sea') return;
    const receiver = this.nearestReceiver(v);
    const id = v.identity;
    if (id.aisClass === 'A') {
      receiver.hear({
        type: 5,
        repeat: 0,
        mmsi: id.mmsi,
        aisVersion: 2,
        imo: id.imo ?? 0,
        callsign: id.callsign,
        shipName: id.name,
        shipType: id.shipType,
        ...id.dimensions,
        epfd: 1,
        eta: utcEta(this.ctx.time.toReal(v.etaAt)),
        draught: v.draught,
        destination: v.destination,
        dte: false,
      });
      return;
    }
    receiver.hear({ type: 24, repeat: 0, mmsi: id.mmsi, partNo: 0, shipName: id.name });
    // Part B follows part A within seconds, as a class B transponder sends them.
    this.ctx.queue.schedule(at + this.random.range(1_000, 6_000), () =>
      this.nearestReceiver(v).hear({
        type: 24,
        repeat: 0,
        mmsi: id.mmsi,
        partNo: 1,
        shipType: id.shipType,
        vendorId: id.vendorId,
        unitModel: 1,
        serialNumber: id.serialNumber,
        callsign: id.callsign,
        ...id.dimensions,
      }),
    );
  }

  private positionReport(v: VesselState, at: number): AisMessage {
    const id = v.identity;
    const common = {
      repeat: 0,
      mmsi: id.mmsi,
      lat: v.position.lat,
      lon: v.position.lon,
      // A DGNSS-fitted ship reports high accuracy; the MMSI picks which ships have one, so it never flickers.
      accuracy: id.mmsi % 2 === 0,
      raim: false,
      sog: round1(Math.min(v.sog, 102.2)),
      cog: cogField(v.cog),
      timestamp: new Date(at).getUTCSeconds(),
    };
    if (id.aisClass === 'B') {
      return { type: 18, ...common, heading: id.hasHeading ? Math.round(v.heading) % 360 : 511 };
    }
    return {
      // Mostly scheduled reports (type 1); the odd reply to a base station's interrogation (type 3).
      type: this.random.chance(0.05) ? 3 : 1,
      ...common,
      navStatus: navStatusOf(v.phase),
      rot: rotField(v.rateOfTurn),
      heading: Math.round(v.heading) % 360,
      maneuver: 0,
    };
  }

  private flush(receiver: AisReceiver, at: number): void {
    for (const sentences of receiver.flush()) {
      this.ctx.outbox.emit(receiver.device, at, { kind: 'ais.nmea', payload: { sentences } });
    }
    this.ctx.queue.schedule(at + FLUSH_INTERVAL_MS, (next) => this.flush(receiver, next));
  }

  private nearestReceiver(v: VesselState): AisReceiver {
    let best: AisReceiver | undefined;
    let bestNm = Number.POSITIVE_INFINITY;
    for (const r of this.receivers) {
      const nm = distanceNm(v.position, r.location);
      if (nm < bestNm) {
        best = r;
        bestNm = nm;
      }
    }
    if (!best) throw new RangeError('the fleet has no AIS receiver');
    return best;
  }
}
