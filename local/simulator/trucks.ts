import { misread, newContainerNumber } from './container-numbers';
import type { GateLane } from './fleet';
import { newPlate } from './plates';
import type { RadiationMonitors } from './radiation';
import type { SeededRandom } from './random';
import { HOUR_MS, type TimeScale } from './time-scale';
import type { TrafficContext } from './traffic-context';
import type { XrayScanner } from './xray';

/**
 * Trucks through the terminal gate: a truck arrives at an in-lane (gate-in transaction, then the lane's radiation
 * portal), spends some time in the yard, and leaves through an out-lane with the same plate. By what it carries:
 * drop-off (export boxes in, leaves empty), pick-up (arrives empty, import boxes out), dual (one of each) and the
 * occasional empty run. 1–2 containers per trip (two 20-footers or one 40-footer). The gate OCR misreads about 2 %
 * of the container numbers by one look-alike character, which breaks the ISO 6346 check digit. Customs sends a
 * share of the loaded trips through the X-ray scanner.
 */
export interface GateTrafficOptions {
  trucksPerSecond: number;
  misreadRate: number;
  /** Share of loaded trips (either direction) that customs scans. */
  scanShare: number;
  /** A daily congested hour at the gate; none when undefined (a steady arrival rate). */
  rush?: GateRush;
}

/**
 * A congested gate hour: once every `everyPortHours`, for `durationPortHours`, trucks arrive `factor` times faster
 * (a vessel's boxes released at once, the morning queue at the gate) and stay `yardFactor` times longer (they queue
 * in the yard too). Arrivals outside the rush slow down so that the day's average rate, and the simulator's total,
 * stay at the target.
 */
export interface GateRush {
  /** Port hours from the simulation's start to the first rush. */
  startsAfterPortHours: number;
  /** @default 1 */
  durationPortHours?: number;
  /** @default 24 */
  everyPortHours?: number;
  /** Arrival rate in the rush / the day's average. @default 3 */
  factor?: number;
  /** Yard time in the rush / usual yard time. @default 1.5 */
  yardFactor?: number;
}

/**
 * The arrival rate at wall-clock `atMs` relative to the steady rate: `factor` in the rush, and outside it what keeps
 * the average over a rush period at 1. Pure, for tests.
 */
export function rushRateFactor(rush: GateRush, time: TimeScale, atMs: number): number {
  const { duration, every, factor } = rushShape(rush);
  return inRush(rush, time, atMs) ? factor : (every - factor * duration) / (every - duration);
}

/** Whether wall-clock `atMs` falls in a rush hour. */
export function inRush(rush: GateRush, time: TimeScale, atMs: number): boolean {
  const { duration, every } = rushShape(rush);
  const hours = (time.toPort(atMs) - time.startMs) / HOUR_MS - rush.startsAfterPortHours;
  return ((hours % every) + every) % every < duration;
}

function rushShape(rush: GateRush): { duration: number; every: number; factor: number } {
  const duration = rush.durationPortHours ?? 1;
  const every = rush.everyPortHours ?? 24;
  const factor = rush.factor ?? 3;
  if (!(duration > 0 && every > duration && factor >= 1 && factor * duration < every)) {
    throw new RangeError('a gate rush needs 0 < duration < every and 1 ≤ factor < every / duration');
  }
  return { duration, every, factor };
}

/**
 * One truck's trip as the terminal's booking system knows it when the truck checks in: what it brings (export
 * boxes, dropped off) and what it takes (import boxes, picked up). Customs declarants lodge for these boxes (see
 * agencies.ts); container numbers are the true ones, whatever the gate OCR makes of them.
 */
export interface TruckTrip {
  plate: string;
  plateCountry: string;
  carriedIn: readonly string[];
  carriedOut: readonly string[];
  /** Wall-clock epoch ms of the gate-in and of the planned gate-out. */
  inAt: number;
  outAt: number;
}

interface Truck {
  plate: string;
  country: string;
  driverId?: string;
  tareKg: number;
}

type VisitKind = 'drop' | 'pick' | 'dual' | 'empty';

/** Yard time in port minutes: a median of about an hour, from 20 minutes to 4 hours. */
function yardMinutes(random: SeededRandom): number {
  return Math.min(240, Math.max(20, Math.exp(random.normal(Math.log(60), 0.5))));
}
/** The mean of `yardMinutes` (lognormal: e^(μ + σ²/2)). */
const MEAN_YARD_MINUTES = 60 * Math.exp(0.125);

export class GateTraffic {
  private readonly random: SeededRandom;
  private readonly trucks: Truck[] = [];
  private readonly inYard = new Set<string>();
  private readonly inLanes: GateLane[];
  private readonly outLanes: GateLane[];
  private trips: TruckTrip[] = [];

  constructor(
    private readonly ctx: TrafficContext,
    private readonly options: GateTrafficOptions,
    private readonly rpm: RadiationMonitors,
    private readonly xray: XrayScanner,
  ) {
    this.random = ctx.random.fork('trucks');
    this.inLanes = ctx.fleet.lanes.filter((l) => l.direction === 'in');
    this.outLanes = ctx.fleet.lanes.filter((l) => l.direction === 'out');
    // Hauliers come back several times a day: a pool a few times larger than the yard ever holds.
    const meanInYard = (options.trucksPerSecond * ctx.time.realMsForPortMinutes(MEAN_YARD_MINUTES)) / 1000;
    const poolSize = Math.max(200, Math.ceil(meanInYard * 4));
    for (let i = 0; i < poolSize; i++) this.trucks.push(this.newTruck());
  }

  /** The trips that checked in (from the first published instant) since the last call. */
  drainTrips(): TruckTrip[] {
    const out = this.trips;
    this.trips = [];
    return out;
  }

  trucksInYard(): number {
    return this.inYard.size;
  }

  start(): void {
    if (this.options.trucksPerSecond <= 0) return;
    const t0 = this.ctx.beginMs;
    // The terminal is open before the simulation starts: trucks already in the yard leave from the first second, so
    // the gate-out rate is steady from the start instead of ramping up over the first hour of port time.
    const meanYardMs = this.ctx.time.realMsForPortMinutes(MEAN_YARD_MINUTES);
    const already = this.random.poisson((this.options.trucksPerSecond * meanYardMs) / 1000);
    for (let i = 0; i < already; i++) {
      const truck = this.idleTruck();
      if (this.inYard.has(truck.plate)) continue;
      const { carriedOut } = this.load();
      const stay = this.ctx.time.realMsForPortMinutes(yardMinutes(this.random));
      this.enterYard(truck, t0, t0 + this.random.range(0, stay), carriedOut);
    }
    this.scheduleArrival(t0);
  }

  private scheduleArrival(after: number): void {
    const { rush } = this.options;
    // Dividing the same draw keeps the random stream (and so a rush-free run) exactly as it was.
    const gap =
      this.random.exponential(1000 / this.options.trucksPerSecond) /
      (rush ? rushRateFactor(rush, this.ctx.time, after) : 1);
    this.ctx.queue.schedule(after + gap, (at) => this.arrive(at));
  }

  private newTruck(): Truck {
    const r = this.random;
    const country = r.weighted(this.ctx.port.truckCountries);
    return {
      plate: newPlate(country, r),
      country,
      ...(r.chance(0.7) ? { driverId: `DRV-${country}-${r.chars('0123456789', 6)}` } : {}),
      tareKg: Math.round(r.range(13_000, 16_500) / 10) * 10,
    };
  }

  /** A truck from the pool that is not in the yard already (the pool grows if every pick is busy). */
  private idleTruck(): Truck {
    for (let attempt = 0; attempt < 8; attempt++) {
      const truck = this.random.pick(this.trucks);
      if (!this.inYard.has(truck.plate)) return truck;
    }
    const truck = this.newTruck();
    this.trucks.push(truck);
    return truck;
  }

  private arrive(at: number): void {
    this.scheduleArrival(at);
    const r = this.random;
    const truck = this.idleTruck();
    if (this.inYard.has(truck.plate)) return;
    const { carriedIn, carriedOut } = this.load();
    const { rush } = this.options;
    const queued = rush && inRush(rush, this.ctx.time, at) ? (rush.yardFactor ?? 1.5) : 1;
    const departure = at + this.ctx.time.realMsForPortMinutes(yardMinutes(r) * queued);
    this.pass(r.pick(this.inLanes), 'in', at, truck, carriedIn);
    this.enterYard(truck, at, departure, carriedOut);
    if (at >= this.ctx.time.startMs) {
      this.trips.push({
        plate: truck.plate,
        plateCountry: truck.country,
        carriedIn,
        carriedOut,
        inAt: at,
        outAt: departure,
      });
    }
    // Customs scans export boxes on their way to the stack.
    if (carriedIn.length > 0 && r.chance(this.options.scanShare)) {
      const scanAt = at + this.ctx.time.realMsForPortMinutes(r.range(3, 10));
      if (scanAt < departure) {
        this.ctx.queue.schedule(scanAt, (t) => this.xray.scan(t, { plate: truck.plate, containers: carriedIn }));
      }
    }
  }

  /** What the truck brings and what it takes away. */
  private load(): { carriedIn: string[]; carriedOut: string[] } {
    const r = this.random;
    const kind = r.weighted<VisitKind>([
      ['drop', 35],
      ['pick', 35],
      ['dual', 20],
      ['empty', 10],
    ]);
    const boxes = (): string[] =>
      r.chance(0.25) ? [newContainerNumber(r), newContainerNumber(r)] : [newContainerNumber(r)];
    return {
      carriedIn: kind === 'drop' || kind === 'dual' ? boxes() : [],
      carriedOut: kind === 'pick' ? boxes() : kind === 'dual' ? [newContainerNumber(r)] : [],
    };
  }

  /** The truck is in the yard from `at` and leaves at `departure`; customs may scan its import boxes first. */
  private enterYard(truck: Truck, at: number, departure: number, carriedOut: string[]): void {
    const r = this.random;
    this.inYard.add(truck.plate);
    this.ctx.queue.schedule(departure, (out) => {
      this.inYard.delete(truck.plate);
      this.pass(r.pick(this.outLanes), 'out', out, truck, carriedOut);
    });
    if (carriedOut.length > 0 && r.chance(this.options.scanShare)) {
      const scanAt = departure - this.ctx.time.realMsForPortMinutes(r.range(2, 6));
      // A truck already in the yard when the simulation starts may have been scanned before it.
      if (scanAt > at) {
        this.ctx.queue.schedule(scanAt, (t) => this.xray.scan(t, { plate: truck.plate, containers: carriedOut }));
      }
    }
  }

  /** The gate transaction at the OCR portal, then the radiation portal of the same lane. */
  private pass(lane: GateLane, direction: 'in' | 'out', at: number, truck: Truck, containers: readonly string[]): void {
    const r = this.random;
    let misreads = 0;
    const reads = containers.map((number) => {
      if (!r.chance(this.options.misreadRate)) return this.printed(lane, number);
      misreads++;
      return this.printed(lane, misread(number, r));
    });
    // One 40-footer or two 20-footers; about a fifth travel empty.
    const boxKg = containers.map(
      () =>
        (containers.length === 2 ? 2_200 : 3_800) +
        (r.chance(0.2) ? 0 : r.range(3_000, containers.length === 2 ? 20_000 : 26_000)),
    );
    const grossWeightKg = Math.round((truck.tareKg + boxKg.reduce((a, b) => a + b, 0)) / 10) * 10;
    // A misread goes with a lower confidence more often than not: the engine knows when a glyph was hard.
    const ocrConfidence = Math.round((misreads > 0 ? r.range(0.8, 0.9) : r.range(0.86, 0.99)) * 100) / 100;
    this.ctx.outbox.emit(lane.gate, at, {
      kind: 'gate.transaction',
      payload: {
        laneId: lane.laneId,
        direction,
        plate: truck.plate,
        plateCountry: truck.country,
        containers: reads,
        ocrConfidence,
        grossWeightKg,
        ...(truck.driverId ? { driverId: truck.driverId } : {}),
      },
    });
    this.ctx.queue.schedule(at + r.range(1_000, 3_000), (t) =>
      this.rpm.occupancy(lane, t, { plate: truck.plate, containers: reads }),
    );
  }

  /** The second in-lane's OCR prints numbers in the owner / serial / check-digit groups painted on the box. */
  private printed(lane: GateLane, read: string): string {
    return lane.laneId === 'IN2' ? `${read.slice(0, 4)} ${read.slice(4, 10)} ${read.slice(10)}` : read;
  }
}
