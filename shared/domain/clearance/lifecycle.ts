import type { DecisionAction, DeclarationStatus, Lane } from '../../../events/v1/declaration';
import { ConflictError } from '../errors';

/**
 * The clearance lifecycle (issue 3): lodged → assessed → released (green/blue) | documentary-check (yellow) |
 * inspection (red) → released | held | seized. Pure: the decision use case asks it whether an officer's action may
 * apply to the declaration's current status, and where it leads.
 *
 * `released` and `seized` are final here: once goods are released (or seized) no officer action through
 * `/decisions` changes that; a post-release finding goes through post-clearance audit, not this log.
 */

/** Statuses in which officers may still decide. */
export const OPEN_STATUSES: readonly DeclarationStatus[] = [
  'lodged',
  'assessed',
  'documentary-check',
  'inspection',
  'held',
];

/** Where a lane sends a declaration at assessment or re-routing. */
export function statusForLane(lane: Lane): DeclarationStatus {
  switch (lane) {
    case 'green':
    case 'blue':
      return 'released';
    case 'yellow':
      return 'documentary-check';
    case 'red':
      return 'inspection';
  }
}

/** An action the declaration's status does not allow; `code` names the case. */
export class ClearanceTransitionError extends ConflictError {}

/**
 * The status an officer's action leads to from `current`.
 *
 * @throws ClearanceTransitionError `DECLARATION_SEIZED`, `DECLARATION_ALREADY_RELEASED` (final statuses),
 *   `DECLARATION_ALREADY_HELD` (hold of a held declaration), `DECLARATION_ALREADY_IN_INSPECTION` (inspect during
 *   inspection).
 */
export function nextStatus(current: DeclarationStatus, action: DecisionAction, lane?: Lane): DeclarationStatus {
  if (current === 'seized') {
    throw new ClearanceTransitionError('DECLARATION_SEIZED', `the declaration is seized: ${action} is not possible`);
  }
  if (current === 'released') {
    throw new ClearanceTransitionError(
      'DECLARATION_ALREADY_RELEASED',
      `the declaration is already released: ${action} is not possible (post-release findings go to post-clearance audit)`,
    );
  }
  switch (action) {
    case 'release':
      return 'released';
    case 'hold':
      if (current === 'held') throw new ClearanceTransitionError('DECLARATION_ALREADY_HELD', 'already held');
      return 'held';
    case 'inspect':
      if (current === 'inspection') {
        throw new ClearanceTransitionError('DECLARATION_ALREADY_IN_INSPECTION', 'already in inspection');
      }
      return 'inspection';
    case 'reroute':
      if (lane === undefined) throw new ClearanceTransitionError('DECISION_LANE_REQUIRED', 'reroute needs the lane');
      return statusForLane(lane);
    case 'refer':
      // A referral brings another agency in; where clearance stands does not change.
      return current;
  }
}
