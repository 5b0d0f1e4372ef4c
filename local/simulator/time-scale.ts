/**
 * Compressed port time. The simulated port runs `factor` times faster than the wall clock (default 60: one port
 * hour per real minute, one port day in 24 minutes), so ships visibly approach, wait, berth and leave within a
 * demo. Speeds and durations live in port time; every timestamp a device sends (observedAt, AIS ETA and UTC
 * second) is wall-clock time, as the contract asks. Durations measured from observedAt are therefore `factor`
 * times shorter than in port time (a 6-hour anchorage wait shows as 6 minutes).
 */
export class TimeScale {
  constructor(
    /** Wall-clock epoch ms where both clocks agree. */
    readonly startMs: number,
    readonly factor: number,
  ) {}

  toPort(realMs: number): number {
    return this.startMs + (realMs - this.startMs) * this.factor;
  }

  toReal(portMs: number): number {
    return this.startMs + (portMs - this.startMs) / this.factor;
  }

  /** Wall-clock milliseconds that `minutes` of port time take. */
  realMsForPortMinutes(minutes: number): number {
    return (minutes * 60_000) / this.factor;
  }
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
