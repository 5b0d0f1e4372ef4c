import type { RpmScan } from '../../events/v1';
import type { GateLane } from './fleet';
import type { SeededRandom } from './random';
import { HOUR_MS, MINUTE_MS } from './time-scale';
import type { TrafficContext } from './traffic-context';

/**
 * Radiation portal monitors, one per gate lane. Each occupancy reports a gamma count-rate series at 5 Hz and a
 * neutron series at 1 Hz while a truck passes, with the lane's background measured just before:
 * - gamma background 80–150 cps per lane, drifting through the day and raised by rain (radon washout, here up to
 *   about double; the field sees up to 300 %);
 * - the truck shields the detectors: the series dips 20–40 % below background mid-passage;
 * - counting noise is Poisson;
 * - neutron background 0.4–1.5 cps;
 * - about 1 % of occupancies alarm: mostly a hot spot (2–3 consecutive samples at 1.8–3.5× background, far above
 *   the 15 % / 4σ rule), some a broad modest excess typical of NORM cargo (ceramics, granite, fertiliser), and a
 *   few a neutron source.
 * The platform decides alarms (shared/domain/radiation.ts); the device only counts.
 */
const GAMMA_HZ = 5;
const NEUTRON_EVERY = 5;

interface LaneDetector {
  gammaBaseCps: number;
  neutronBackgroundCps: number;
  /** Phase of the daily drift (detector temperature, soil moisture), radians. */
  driftPhase: number;
  occupancies: number;
}

interface RainShower {
  start: number;
  end: number;
  peak: number;
}

/** Port-wide rain showers: irregular, a few hours long, every day or so (port time). */
class Weather {
  private showers: RainShower[] = [];
  private nextStart: number;

  constructor(
    private readonly random: SeededRandom,
    start: number,
  ) {
    this.nextStart = start + this.random.exponential(18 * HOUR_MS);
  }

  /** Multiplier on gamma background at port time `t`: 1 when dry. */
  backgroundFactor(t: number): number {
    while (this.nextStart <= t) {
      const duration = this.random.range(1, 4) * HOUR_MS;
      this.showers.push({ start: this.nextStart, end: this.nextStart + duration, peak: this.random.range(1.2, 2) });
      this.nextStart += duration + this.random.exponential(18 * HOUR_MS);
    }
    this.showers = this.showers.filter((s) => s.end + 3 * HOUR_MS > t);
    let factor = 1;
    for (const s of this.showers) {
      if (t < s.start) continue;
      // Washed-out radon daughters build up within ~30 minutes, then decay (half-lives of tens of minutes).
      const rise = Math.min(1, (t - s.start) / (30 * MINUTE_MS));
      const decay = t > s.end ? Math.exp(-(t - s.end) / (45 * MINUTE_MS)) : 1;
      factor = Math.max(factor, 1 + (s.peak - 1) * rise * decay);
    }
    return factor;
  }
}

type AlarmKind = 'none' | 'hot-spot' | 'norm' | 'neutron';

export interface Passage {
  plate: string;
  containers: readonly string[];
}

export class RadiationMonitors {
  private readonly random: SeededRandom;
  private readonly weather: Weather;
  private readonly detectors = new Map<string, LaneDetector>();

  constructor(
    private readonly ctx: TrafficContext,
    private readonly alarmRate: number,
  ) {
    this.random = ctx.random.fork('radiation');
    this.weather = new Weather(ctx.random.fork('weather'), ctx.time.toPort(ctx.beginMs));
    for (const lane of ctx.fleet.lanes) {
      this.detectors.set(lane.laneId, {
        gammaBaseCps: this.random.range(80, 150),
        neutronBackgroundCps: Math.round(this.random.range(0.4, 1.5) * 10) / 10,
        driftPhase: this.random.range(0, 2 * Math.PI),
        occupancies: 0,
      });
    }
  }

  /** One truck passing the lane's portal; the occupancy is published when the truck has cleared it. */
  occupancy(lane: GateLane, at: number, passage: Passage): void {
    const detector = this.detectors.get(lane.laneId);
    if (!detector) return;
    const seconds = this.random.range(4, 10);
    const scan = this.measure(lane, detector, this.ctx.time.toPort(at), seconds, passage);
    this.ctx.queue.schedule(at + seconds * 1000, (end) =>
      this.ctx.outbox.emit(lane.rpm, end, { kind: 'rpm.scan', payload: scan }),
    );
  }

  private measure(lane: GateLane, d: LaneDetector, portNow: number, seconds: number, passage: Passage): RpmScan {
    const r = this.random;
    const drift = 1 + 0.05 * Math.sin((2 * Math.PI * portNow) / (24 * HOUR_MS) + d.driftPhase);
    const background = d.gammaBaseCps * drift * this.weather.backgroundFactor(portNow);
    const n = Math.max(10, Math.round(seconds * GAMMA_HZ));
    const dip = r.range(0.2, 0.4);
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      // Shielding rises as the cab enters and stays while the trailer fills the portal.
      const x = (i + 0.5) / n;
      expected.push(background * (1 - dip * Math.min(1, 1.6 * Math.sin(Math.PI * x))));
    }

    const alarm: AlarmKind = r.chance(this.alarmRate)
      ? r.weighted<AlarmKind>([
          ['hot-spot', 60],
          ['norm', 30],
          ['neutron', 10],
        ])
      : 'none';
    // The excess a detector needs to see: the larger of 15 % and 4σ of counting noise.
    const margin = Math.max(0.15 * background, 4 * Math.sqrt(background));
    if (alarm === 'hot-spot') {
      const width = r.int(2, 3);
      const at = r.int(Math.floor(n * 0.25), Math.floor(n * 0.75) - width);
      const level = background * r.range(1.8, 3.5);
      for (let i = at; i < at + width; i++) expected[i] = level;
    } else if (alarm === 'norm') {
      // A whole load of granite or ceramic tiles: a broad plateau just over the threshold.
      const width = Math.min(n - 2, r.int(10, 20));
      const at = r.int(1, n - 1 - width);
      const level = background + margin * r.range(1.25, 1.5);
      for (let i = at; i < at + width; i++) expected[i] = level;
    }

    const neutronSamples = Math.max(2, Math.round(n / NEUTRON_EVERY));
    const neutronCps: number[] = [];
    const neutronHot = alarm === 'neutron' ? r.int(0, neutronSamples - 2) : -1;
    for (let i = 0; i < neutronSamples; i++) {
      const source = neutronHot >= 0 && (i === neutronHot || i === neutronHot + 1) ? r.range(10, 18) : 0;
      neutronCps.push(r.poisson(d.neutronBackgroundCps + source));
    }

    d.occupancies++;
    return {
      laneId: lane.laneId,
      occupancyId: `${lane.rpm.deviceId}-${this.ctx.runId}-${String(d.occupancies).padStart(6, '0')}`,
      gammaCps: expected.map((mean) => r.poisson(mean)),
      // The device's own running estimate of background, taken just before the occupancy.
      gammaBackgroundCps: Math.round(background * (1 + r.normal(0, 0.01)) * 10) / 10,
      neutronCps,
      neutronBackgroundCps: d.neutronBackgroundCps,
      plate: passage.plate,
      ...(passage.containers.length > 0 ? { containers: [...passage.containers] } : {}),
    };
  }
}
