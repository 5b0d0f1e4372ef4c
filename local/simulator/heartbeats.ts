import type { SimulatedDevice } from './fleet';
import type { SeededRandom } from './random';
import { jittered, type TrafficContext } from './traffic-context';

/** Every device says it is alive about every 30 s (wall clock), now and then "degraded" (a dirty lens, a weak link). */
export const HEARTBEAT_INTERVAL_MS = 30_000;

export class Heartbeats {
  private readonly random: SeededRandom;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly degradedRate = 0.01,
  ) {
    this.random = ctx.random.fork('heartbeats');
  }

  start(): void {
    const t0 = this.ctx.beginMs;
    for (const device of this.ctx.fleet.all) {
      // Devices were booted some time before the simulation began: an hour to six weeks.
      const bootedAt = t0 - this.random.range(3_600, 42 * 86_400) * 1000;
      this.ctx.queue.schedule(t0 + this.random.range(0, HEARTBEAT_INTERVAL_MS), (at) =>
        this.beat(device, bootedAt, at),
      );
    }
  }

  private beat(device: SimulatedDevice, bootedAt: number, at: number): void {
    this.ctx.outbox.emit(device, at, {
      kind: 'device.heartbeat',
      payload: {
        uptimeS: Math.floor((at - bootedAt) / 1000),
        firmware: device.firmware,
        health: this.random.chance(this.degradedRate) ? 'degraded' : 'ok',
      },
    });
    this.ctx.queue.schedule(at + jittered(this.random, HEARTBEAT_INTERVAL_MS, 0.03), (next) =>
      this.beat(device, bootedAt, next),
    );
  }
}
