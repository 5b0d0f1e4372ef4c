import type * as api from '../../events/v1/api';
import type { InspectionResultInput } from '../../events/v1/declaration';
import type { DecisionLogEntry } from '../../events/v1/declaration-audit';
import type { Caller } from '../domain/caller';
import { appendEntry } from '../domain/clearance/decision-log';
import { ConflictError, KouanError } from '../domain/errors';
import { clearanceFactsOf } from '../domain/performance/clearance-facts';
import type { Role } from '../domain/roles';
import { StaleWriteError } from '../ports/declaration-store';
import type { RuleHitStore } from '../ports/rule-hit-store';
import {
  DecisionConflictError,
  type DeclarationDependencies,
  declarationView,
  maySeeDeclaration,
  projectCommitted,
  rolledForward,
} from './declarations';
import { NotFoundError } from './port-queries';

/**
 * Inspection results (issue 3, item 3): `POST /v1/inspections/{id}/results`, where `{id}` is the declaration's id.
 * The finding is appended to the decision log (the status does not change: the release or hold is still an
 * officer's decision), then counted for the hit rate of every criterion among the declaration's reasons and of the
 * way it was selected (random vs targeted).
 *
 * One result per inspection: an inspection is the stretch since the declaration last entered `inspection` or
 * `documentary-check`; a second result for it is a 409 (INSPECTION_RESULT_EXISTS) and counts nothing. The log entry
 * is the commit point; the counters follow it (a crash in between under-counts, never double-counts).
 */

const INSPECTABLE = ['inspection', 'documentary-check'] as const;

export class InspectionNotOpenError extends ConflictError {
  constructor(id: string, status: string) {
    super(
      'INSPECTION_NOT_OPEN',
      `declaration ${id} is ${status}: results are taken in inspection or documentary-check`,
    );
  }
}

export class InspectionResultExistsError extends ConflictError {
  constructor(id: string) {
    super('INSPECTION_RESULT_EXISTS', `the current inspection of declaration ${id} has its result already`);
  }
}

/** A result the request itself makes impossible (HTTP 400), e.g. an inspection that ends in the future. */
export class InvalidInspectionResultError extends KouanError {}

/** The seq of the entry that opened the current inspection: the start of the trailing run in this status. */
function inspectionStart(log: readonly DecisionLogEntry[], status: string): number {
  let i = log.length - 1;
  while (i > 0 && log[i - 1]?.toStatus === status) i--;
  return log[i]?.seq ?? 0;
}

export async function recordInspectionResult(
  deps: DeclarationDependencies,
  hits: RuleHitStore,
  caller: Caller,
  id: string,
  input: InspectionResultInput,
): Promise<api.DeclarationView> {
  const now = deps.now ?? (() => new Date());
  const at = now();
  if (Date.parse(input.inspectedAt) > at.getTime()) {
    throw new InvalidInspectionResultError('INSPECTED_IN_FUTURE', 'inspectedAt is in the future', [
      { path: 'inspectedAt', message: 'must not be in the future' },
    ]);
  }
  const [stored, log] = await Promise.all([deps.store.get(id), deps.store.readLog(id)]);
  if (stored === undefined || !maySeeDeclaration(caller, stored)) throw new NotFoundError('declaration', id);
  const latest = log.at(-1);
  const current = rolledForward(stored, latest);
  if (!(INSPECTABLE as readonly string[]).includes(current.status))
    throw new InspectionNotOpenError(id, current.status);
  const opened = inspectionStart(log, current.status);
  if (log.some((e) => e.seq > opened && e.action === 'inspection-result')) throw new InspectionResultExistsError(id);

  const role: Role = caller.roles.includes('customs-officer') ? 'customs-officer' : 'quarantine';
  const ruleIds = [...new Set(current.assessment.reasons.map((r) => r.ruleId))];
  const selectedBy = current.assessment.selectedBy ?? 'none';
  const entry = appendEntry(latest, {
    declarationId: id,
    at: at.toISOString(),
    actor: { sub: caller.sub, role },
    action: 'inspection-result',
    fromStatus: current.status,
    toStatus: current.status,
    lane: current.assessment.lane,
    reason: input.findings.found
      ? `inspection found: ${(input.findings.codes ?? []).join(', ') || input.findings.notes}`
      : 'inspection found nothing',
    details: {
      inspectionSeq: opened,
      inspectedAt: input.inspectedAt,
      found: input.findings.found,
      ...(input.findings.codes ? { codes: input.findings.codes } : {}),
      ...(input.findings.notes ? { notes: input.findings.notes } : {}),
      ...(input.method ? { method: input.method } : {}),
      ...(input.containers ? { containers: input.containers } : {}),
      ...(input.recommendation ? { recommendation: input.recommendation } : {}),
      ruleIds,
      selectedBy,
    },
  });
  try {
    await deps.store.appendLogEntry(entry);
  } catch (e) {
    if (e instanceof StaleWriteError) throw new DecisionConflictError(id);
    throw e;
  }
  await hits.count({ ruleIds, selectedBy, found: input.findings.found });
  const next = await projectCommitted(deps, stored, current, {
    toStatus: current.status,
    assessment: current.assessment,
    at: entry.at,
    entry,
  });
  await deps.performance?.record(clearanceFactsOf(next, [...log, entry], [entry]));
  return declarationView(next, [...log, entry], at);
}
