import type { DeclarationStatus } from '../../../events/v1/declaration';
import type { ContainerOnVisit } from '../model';
import { normalisePlate } from '../risk/declaration-facts';

/**
 * One-stop gate release (issue 3), pure: a truck at the exit gate may leave only when every container it carries is
 * released, i.e. every declaration naming it has the status `released`. Anything else holds the truck, with the
 * reason for the gate officer and the driver: a container no declaration names, one whose declaration is not
 * released yet, or a number the OCR could not read (check digit wrong) and so cannot be matched.
 */

export type GateAction = 'open' | 'hold';

export interface ContainerHold {
  container: string;
  /** `UNREADABLE_CONTAINER`, `UNDECLARED_CONTAINER`, `NOT_RELEASED` or `OPEN_INCIDENT`. */
  code: string;
  /** The declarations that are not released (for `NOT_RELEASED`). */
  declarations?: { id: string; status: DeclarationStatus }[];
  /** The open joint-control incidents on the container or the truck (for `OPEN_INCIDENT`). */
  incidents?: string[];
}

/** An open joint-control incident: its containers and, for one about a truck, the plate. */
export interface GateBlocker {
  incidentId: string;
  containers: readonly string[];
  plate?: string;
}

export interface GateReleaseDecision {
  action: GateAction;
  reason: string;
  holds: ContainerHold[];
}

/**
 * Decides the exit of one truck from the declarations found for each of its containers (by the container index).
 * A truck without containers leaves (nothing to clear).
 */
export function decideGateRelease(
  containers: readonly ContainerOnVisit[],
  declarationsOf: ReadonlyMap<string, readonly { id: string; status: DeclarationStatus }[]>,
  blockers: readonly GateBlocker[] = [],
  plate?: string,
): GateReleaseDecision {
  const holds: ContainerHold[] = [];
  const sameTruck = (p: string | undefined) =>
    p !== undefined && plate !== undefined && normalisePlate(p) === normalisePlate(plate);
  for (const c of containers) {
    // A released container on which agencies are still working (a radiation alarm, an X-ray anomaly…) stays until
    // the incident closes: release is customs' word on the declaration, not on the safety of the box.
    const blocking = blockers.filter((b) => b.containers.includes(c.number) || sameTruck(b.plate));
    if (blocking.length > 0) {
      holds.push({ container: c.number, code: 'OPEN_INCIDENT', incidents: blocking.map((b) => b.incidentId) });
      continue;
    }
    if (!c.checkDigitValid) {
      holds.push({ container: c.number, code: 'UNREADABLE_CONTAINER' });
      continue;
    }
    const found = declarationsOf.get(c.number) ?? [];
    if (found.length === 0) {
      holds.push({ container: c.number, code: 'UNDECLARED_CONTAINER' });
      continue;
    }
    const open = found.filter((d) => d.status !== 'released');
    if (open.length > 0) {
      holds.push({
        container: c.number,
        code: 'NOT_RELEASED',
        declarations: open.map((d) => ({ id: d.id, status: d.status })),
      });
    }
  }
  const truckBlockers = containers.length === 0 ? blockers.filter((b) => sameTruck(b.plate)) : [];
  if (truckBlockers.length > 0 && plate !== undefined) {
    holds.push({ container: '', code: 'OPEN_INCIDENT', incidents: truckBlockers.map((b) => b.incidentId) });
  }
  if (holds.length === 0) {
    return {
      action: 'open',
      reason: containers.length === 0 ? 'no containers on the truck' : 'every container is released',
      holds,
    };
  }
  const why = holds.map((h) =>
    h.code === 'OPEN_INCIDENT'
      ? `${h.container || `truck ${plate}`}: open joint-control incident ${(h.incidents ?? []).join(', ')}`
      : h.code === 'NOT_RELEASED'
        ? `${h.container}: not released (${(h.declarations ?? []).map((d) => `${d.id} ${d.status}`).join(', ')})`
        : h.code === 'UNDECLARED_CONTAINER'
          ? `${h.container}: no declaration names it`
          : `${h.container}: number not readable (check digit), see the gate officer`,
  );
  return { action: 'hold', reason: why.join('; '), holds };
}
