import type { FactOf } from './facts';

/**
 * Truck turnaround from gate transactions, per plate: an entry opens a visit, the next exit closes it. The entry and
 * exit cameras are different devices (different stream shards), so an exit may arrive first: it waits as
 * `pendingOut` for its entry. Replayed transactions (at or before the last seen of their direction) change nothing;
 * a visit's id derives from plate and entry time, so emitting it twice records it once.
 */
export interface GateVisitState {
  plate: string;
  open?: { inAt: string; laneIn: string };
  pendingOut?: { outAt: string; laneOut: string };
  lastInAt?: string;
  lastOutAt?: string;
}

export interface GateStep {
  state: GateVisitState;
  visits: FactOf<'gate.visit'>[];
  transition: boolean;
}

const visit = (
  tx: FactOf<'gate.transaction'>,
  inAt: string,
  laneIn: string,
  outAt: string,
  laneOut: string,
): FactOf<'gate.visit'> => ({
  type: 'gate.visit',
  port: tx.port,
  visitId: `${tx.plate}@${inAt}`,
  plate: tx.plate,
  laneIn,
  laneOut,
  inAt,
  at: outAt,
});

export function stepGate(previous: GateVisitState | undefined, tx: FactOf<'gate.transaction'>): GateStep {
  const s: GateVisitState = previous ?? { plate: tx.plate };
  const unchanged = { state: s, visits: [], transition: false };
  if (tx.direction === 'in') {
    if (s.lastInAt && tx.at <= s.lastInAt) return unchanged;
    const { pendingOut, ...rest } = s;
    if (pendingOut && pendingOut.outAt >= tx.at) {
      return {
        state: { ...rest, lastInAt: tx.at },
        visits: [visit(tx, tx.at, tx.laneId, pendingOut.outAt, pendingOut.laneOut)],
        transition: true,
      };
    }
    // A visit left open (its exit never read) is replaced: it cannot be timed.
    return {
      state: { ...rest, open: { inAt: tx.at, laneIn: tx.laneId }, lastInAt: tx.at },
      visits: [],
      transition: true,
    };
  }
  if (s.lastOutAt && tx.at <= s.lastOutAt) return unchanged;
  const { open, ...rest } = s;
  if (open && open.inAt <= tx.at) {
    return {
      state: { ...rest, lastOutAt: tx.at },
      visits: [visit(tx, open.inAt, open.laneIn, tx.at, tx.laneId)],
      transition: true,
    };
  }
  return {
    state: { ...s, pendingOut: { outAt: tx.at, laneOut: tx.laneId }, lastOutAt: tx.at },
    visits: [],
    transition: true,
  };
}
