import type { FactOf } from './facts';
import { berthAt, insidePolygon, type PortArea } from './port-areas';

/**
 * Port calls from AIS by the ADB / Korea Maritime Institute method: keep a ship's reports that are inside the port
 * polygon and slower than 5 kn; consecutive kept reports less than 24 h apart are one call. Arrival = the first kept
 * report, berth = the first kept report at a berth, departure = the last kept report. Waiting (CPPI's "arrival",
 * port-to-berth) = arrival → berth; berth time = berth → departure.
 *
 * A call is only known to be over when the ship's next kept report comes more than 24 h later, or when 24 h pass
 * without one (`closeIfIdle`, run by the scheduled evaluation). The state of one vessel is small and stored per
 * vessel; a completed call becomes a `vessel.call` fact (id = vessel + arrival, so emitting it twice is harmless).
 */
export const PORT_CALL_RULE = {
  maxSpeedKn: 5,
  splitGapMs: 24 * 3_600_000,
} as const;

export interface OpenCall {
  arrivalAt: string;
  berthAt?: string;
  berthId?: string;
  lastAt: string;
}

export interface VesselCallState {
  mmsi: number;
  port: string;
  call?: OpenCall;
}

export interface VesselStep {
  state: VesselCallState;
  /** Completed calls (at most one per step). */
  calls: FactOf<'vessel.call'>[];
  /** The call opened, berthed or closed: the state must be stored now (an extended `lastAt` may wait). */
  transition: boolean;
}

/** Whether the port-call method keeps this report (AIS "not available" speed 102.3 is never kept). */
export function keepsReport(area: PortArea, p: { lat: number; lon: number; sog: number | undefined }): boolean {
  return p.sog !== undefined && p.sog < PORT_CALL_RULE.maxSpeedKn && insidePolygon(p, area.polygon);
}

function completed(state: VesselCallState, call: OpenCall): FactOf<'vessel.call'> {
  return {
    type: 'vessel.call',
    port: state.port,
    mmsi: state.mmsi,
    arrivalAt: call.arrivalAt,
    ...(call.berthAt ? { berthAt: call.berthAt } : {}),
    ...(call.berthId ? { berthId: call.berthId } : {}),
    at: call.lastAt,
  };
}

/** One position report through the vessel's state machine (pure). Stale and repeated reports change nothing. */
export function stepVessel(
  previous: VesselCallState | undefined,
  area: PortArea,
  p: FactOf<'ais.position'>,
): VesselStep {
  const state: VesselCallState = previous ?? { mmsi: p.mmsi, port: area.port };
  if (!keepsReport(area, p)) return { state, calls: [], transition: false };
  const at = Date.parse(p.at);
  const open = state.call;
  if (open && at <= Date.parse(open.lastAt)) return { state, calls: [], transition: false };
  const calls: FactOf<'vessel.call'>[] = [];
  let call: OpenCall;
  let transition = false;
  if (!open || at - Date.parse(open.lastAt) > PORT_CALL_RULE.splitGapMs) {
    if (open) calls.push(completed(state, open));
    call = { arrivalAt: p.at, lastAt: p.at };
    transition = true;
  } else {
    call = { ...open, lastAt: p.at };
  }
  if (!call.berthAt) {
    const berth = berthAt(area, p);
    if (berth) {
      call.berthAt = p.at;
      call.berthId = berth.id;
      transition = true;
    }
  }
  return { state: { ...state, call }, calls, transition };
}

/**
 * Closes a call whose last kept report is more than `splitGapMs` (24 h) before `nowMs`: the ship has left, or gone
 * quiet. (A shorter gap only where time is compressed: the local simulator runs 60× faster than its timestamps.)
 */
export function closeIfIdle(
  state: VesselCallState,
  nowMs: number,
  splitGapMs: number = PORT_CALL_RULE.splitGapMs,
): VesselStep {
  const open = state.call;
  if (!open || nowMs - Date.parse(open.lastAt) <= splitGapMs) {
    return { state, calls: [], transition: false };
  }
  const { call: _closed, ...rest } = state;
  return { state: rest, calls: [completed(state, open)], transition: true };
}
