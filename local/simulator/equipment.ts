import type { EquipmentUnit } from './fleet';
import type { SeededRandom } from './random';
import { HOUR_MS, MINUTE_MS } from './time-scale';
import { jittered, type TrafficContext } from './traffic-context';

/**
 * Quay cranes (STS) and yard gantries (RTG) reporting telemetry: a quay crane works while ships are alongside, a
 * yard gantry while trucks are in the yard. Each unit has the odd fault (mean time between faults ~60 port hours,
 * 15–120 port minutes to fix), short pauses, and rare planned maintenance; its moves counter only grows.
 */
const FAULT_CODES = {
  'sts-crane': ['SPREADER-TWISTLOCK', 'HOIST-OVERLOAD', 'GANTRY-TRAVEL-ALARM', 'ANTI-SWAY-FAULT', 'PLC-COMMS-LOST'],
  rtg: ['HOIST-OVERLOAD', 'GENSET-OVERTEMP', 'STEERING-FAULT', 'SPREADER-TWISTLOCK', 'PLC-COMMS-LOST'],
} as const;
/** Container moves per hour while working (port time). */
const MOVES_PER_HOUR = { 'sts-crane': 28, rtg: 18 } as const;
const MTBF_H = 60;
const MAINTENANCE_EVERY_H = 400;
/** A working unit pauses every few hours. */
const PAUSE_EVERY_H = 4;

type Status = 'operating' | 'idle' | 'fault' | 'maintenance';

interface UnitState {
  unit: EquipmentUnit;
  /** Rank among units of its type, 1-based: the first quay crane is the first to work. */
  rank: number;
  status: Status;
  faultCode?: string;
  until: number;
  /** Port time until which a working unit pauses (hatch cover change, waiting for a truck). */
  pauseUntil: number;
  moves: number;
  updatedAt: number;
}

export interface EquipmentDemand {
  berthedShips(): number;
  trucksInYard(): number;
}

export class EquipmentTelemetry {
  private readonly random: SeededRandom;
  private readonly states: UnitState[];

  constructor(
    private readonly ctx: TrafficContext,
    private readonly demand: EquipmentDemand,
    private readonly intervalMs: number,
  ) {
    this.random = ctx.random.fork('equipment');
    const now = ctx.time.toPort(ctx.beginMs);
    const ranks = new Map<string, number>();
    this.states = ctx.fleet.equipment.map((unit) => {
      const rank = (ranks.get(unit.type) ?? 0) + 1;
      ranks.set(unit.type, rank);
      return {
        unit,
        rank,
        status: 'idle',
        until: now,
        pauseUntil: now,
        moves: this.random.int(0, 400),
        updatedAt: now,
      };
    });
  }

  start(): void {
    const t0 = this.ctx.beginMs;
    for (const state of this.states) {
      this.ctx.queue.schedule(t0 + this.random.range(0, this.intervalMs), (at) => this.report(state, at));
    }
  }

  private report(s: UnitState, at: number): void {
    this.update(s, this.ctx.time.toPort(at));
    this.ctx.outbox.emit(s.unit.device, at, {
      kind: 'equipment.telemetry',
      payload: {
        equipmentId: s.unit.equipmentId,
        type: s.unit.type,
        status: s.status,
        ...(s.status === 'fault' && s.faultCode ? { faultCode: s.faultCode } : {}),
        moves: s.moves,
      },
    });
    this.ctx.queue.schedule(at + jittered(this.random, this.intervalMs), (next) => this.report(s, next));
  }

  private update(s: UnitState, now: number): void {
    const dtH = (now - s.updatedAt) / HOUR_MS;
    s.updatedAt = now;
    const r = this.random;
    if (s.status === 'fault' || s.status === 'maintenance') {
      if (now < s.until) return;
      delete s.faultCode;
    }
    if (r.chance(1 - Math.exp(-dtH / MTBF_H))) {
      s.status = 'fault';
      s.faultCode = r.pick(FAULT_CODES[s.unit.type]);
      s.until = now + r.range(15, 120) * MINUTE_MS;
      return;
    }
    if (r.chance(1 - Math.exp(-dtH / MAINTENANCE_EVERY_H))) {
      s.status = 'maintenance';
      s.until = now + r.range(2, 4) * HOUR_MS;
      return;
    }
    const busy =
      s.unit.type === 'sts-crane' ? this.demand.berthedShips() >= s.rank : this.demand.trucksInYard() >= s.rank * 50;
    if (busy && now >= s.pauseUntil && r.chance(1 - Math.exp(-dtH / PAUSE_EVERY_H))) {
      s.pauseUntil = now + r.range(10, 30) * MINUTE_MS;
    }
    const working = busy && now >= s.pauseUntil;
    s.status = working ? 'operating' : 'idle';
    if (working) s.moves += r.poisson(MOVES_PER_HOUR[s.unit.type] * dtH);
  }
}
