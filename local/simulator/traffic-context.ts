import type { EventQueue } from './event-queue';
import type { Fleet } from './fleet';
import type { Outbox } from './outbox';
import type { PortGeometry } from './ports';
import type { SeededRandom } from './random';
import type { TimeScale } from './time-scale';

/** What every traffic source shares: the port, its devices, the scheduler, the outbox and the clocks. */
export interface TrafficContext {
  port: PortGeometry;
  fleet: Fleet;
  queue: EventQueue;
  outbox: Outbox;
  time: TimeScale;
  /**
   * Wall-clock epoch ms where the simulation begins: a warm-up before the first published instant, so trucks are
   * mid-lane, cranes mid-cycle and receivers mid-batch when publishing starts and the rate is steady from the start.
   */
  beginMs: number;
  /** Root of the seeded streams; each source forks its own by name. */
  random: SeededRandom;
  /** Distinguishes this run's ids (occupancies, scans) from a previous run's: the start time in base 36. */
  runId: string;
}

/** `ms` give or take `spread` (a fraction), so periodic sources drift apart instead of publishing in lockstep. */
export function jittered(random: SeededRandom, ms: number, spread = 0.1): number {
  return ms * (1 + random.range(-spread, spread));
}
