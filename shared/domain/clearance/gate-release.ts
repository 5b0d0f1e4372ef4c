import type { DeclarationStatus } from '../../../events/v1/declaration';
import type { ContainerOnVisit } from '../model';

/**
 * One-stop gate release (issue 3), pure: a truck at the exit gate may leave only when every container it carries is
 * released, i.e. every declaration naming it has the status `released`. Anything else holds the truck, with the
 * reason for the gate officer and the driver: a container no declaration names, one whose declaration is not
 * released yet, or a number the OCR could not read (check digit wrong) and so cannot be matched.
 */

export type GateAction = 'open' | 'hold';

export interface ContainerHold {
  container: string;
  /** `UNREADABLE_CONTAINER`, `UNDECLARED_CONTAINER` or `NOT_RELEASED`. */
  code: string;
  /** The declarations that are not released (for `NOT_RELEASED`). */
  declarations?: { id: string; status: DeclarationStatus }[];
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
): GateReleaseDecision {
  const holds: ContainerHold[] = [];
  for (const c of containers) {
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
  if (holds.length === 0) {
    return {
      action: 'open',
      reason: containers.length === 0 ? 'no containers on the truck' : 'every container is released',
      holds,
    };
  }
  const why = holds.map((h) =>
    h.code === 'NOT_RELEASED'
      ? `${h.container}: not released (${(h.declarations ?? []).map((d) => `${d.id} ${d.status}`).join(', ')})`
      : h.code === 'UNDECLARED_CONTAINER'
        ? `${h.container}: no declaration names it`
        : `${h.container}: number not readable (check digit), see the gate officer`,
  );
  return { action: 'hold', reason: why.join('; '), holds };
}
