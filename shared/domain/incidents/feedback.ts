import type { DeclarationStatus } from '../../../events/v1/declaration';
import type { IncidentOutcome } from '../../../events/v1/incidents';

/**
 * The closed loop on close (issue 4): what an incident's outcome does to a related declaration (one naming its
 * containers, or its subject). Pure; the use case reads the declaration, asks this, and appends the decision to
 * the declaration's hash-chained log as `joint-control`.
 *
 * - `seized` or `referred`: hold every open declaration not held already (the officer then decides on seizure or
 *   hands the case over; the incident itself never seizes).
 * - `cleared`: release a declaration in inspection or documentary check, or held by joint control, when customs
 *   took part and cleared it. An officer's own hold is never lifted by an incident, and an incident without a
 *   customs task (a vessel gone dark) releases nothing.
 * - Released and seized declarations are final and left alone.
 */
export type DeclarationFeedback =
  | { action: 'hold' | 'release'; result: 'applied' }
  | { action: 'none'; result: 'final' | 'already-held' | 'officer-hold' | 'not-cleared-by-customs' | 'not-in-control' };

export function declarationFeedback(
  outcome: IncidentOutcome,
  declaration: { status: DeclarationStatus; heldByJointControl: boolean },
  customsCleared: boolean,
): DeclarationFeedback {
  const { status } = declaration;
  if (status === 'released' || status === 'seized') return { action: 'none', result: 'final' };
  if (outcome !== 'cleared') {
    return status === 'held' ? { action: 'none', result: 'already-held' } : { action: 'hold', result: 'applied' };
  }
  if (!customsCleared) return { action: 'none', result: 'not-cleared-by-customs' };
  if (status === 'held') {
    return declaration.heldByJointControl
      ? { action: 'release', result: 'applied' }
      : { action: 'none', result: 'officer-hold' };
  }
  if (status === 'inspection' || status === 'documentary-check') return { action: 'release', result: 'applied' };
  // lodged / assessed: not yet in a control an incident could end.
  return { action: 'none', result: 'not-in-control' };
}

/** Whether the incident counts as a find for the hit rates of the rules that selected the related declarations. */
export const isFind = (outcome: IncidentOutcome): boolean => outcome !== 'cleared';
