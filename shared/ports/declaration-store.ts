import type { DeclarationInput, DeclarationStatus, Lane, ReferralAgency } from '../../events/v1/declaration';
import type { DecisionLogEntry } from '../../events/v1/declaration-audit';
import type { SubjectKey } from '../domain/clearance/declaration-subjects';
import { ConflictError } from '../domain/errors';
import type { Assessment } from '../domain/risk';
import type { Role } from '../domain/roles';
import type { PageRequest, PageResult } from './port-reader';

/** A declaration as stored: the validated body, who lodged it, and where clearance stands. */
export interface StoredDeclaration extends DeclarationInput {
  id: string;
  /** The token subject and role that lodged it: a declarant sees only declarations it lodged. */
  lodgedBy: { sub: string; role: Role };
  lodgedAt: string;
  status: DeclarationStatus;
  /** The risk engine's assessment, officer overrides included (its lane is the declaration's lane). */
  assessment: Assessment;
  slaDueAt: string;
  /** When the status became `released` (for the SLA compliance of released declarations). */
  releasedAt?: string;
  /** The agencies it is referred to (at lodgement or by an officer); they see it. Absent: none. */
  referredTo?: ReferralAgency[];
  /** Starts at 1; every state write is conditioned on the version it read. */
  version: number;
  /** The last decision-log entry this state reflects, for `verifyChain` (detects entries cut off the end). */
  logHead: { seq: number; hash: string };
  updatedAt: string;
}

export interface DeclarationFilter {
  status?: DeclarationStatus;
  lane?: Lane;
  /** Only the declarations referred to this agency. */
  referredTo?: ReferralAgency;
}

/** A conditional write lost: the log position is taken, or the state changed since it was read. */
export class StaleWriteError extends ConflictError {
  constructor(what: string) {
    super('STALE_WRITE', what);
  }
}

/** Which declaration a lodger's `reference` names, and a digest of the body it was lodged with. */
export interface ReferenceClaim {
  declarationId: string;
  bodyHash: string;
  claimedAt: string;
}

/**
 * Where declarations and their decision logs live. Single-item conditional writes only (DESIGN.md): the use case
 * appends log entries first (the commit point), then writes the state conditioned on its version.
 */
export interface DeclarationStore {
  /**
   * Writes the first entries of a new declaration's log (its id is fresh, so no one else can hold those positions)
   * and, given `index`, its subject index: one batch instead of a conditional put per entry.
   */
  startLog(
    entries: readonly DecisionLogEntry[],
    index?: { declaration: Pick<StoredDeclaration, 'id' | 'port' | 'lodgedAt'>; subjects: readonly SubjectKey[] },
  ): Promise<void>;
  /** Appends one entry at its `seq`. @throws StaleWriteError when that position is already taken. */
  appendLogEntry(entry: DecisionLogEntry): Promise<void>;
  /**
   * Claims a lodger's reference for a new declaration: undefined when the claim is taken now, else the claim that
   * holds it (a re-submission, or a concurrent one).
   */
  claimReference(lodgedBy: string, reference: string, claim: ReferenceClaim): Promise<ReferenceClaim | undefined>;
  /**
   * Moves a claim to another declaration if it still names `fromId` (a lodgement that died before writing its
   * declaration). @throws StaleWriteError when it no longer does.
   */
  reassignReference(lodgedBy: string, reference: string, fromId: string, claim: ReferenceClaim): Promise<void>;
  /** Writes a new declaration. @throws StaleWriteError when the id exists. */
  create(declaration: StoredDeclaration): Promise<void>;
  /** Replaces the state if it is still at `expectedVersion`. @throws StaleWriteError otherwise. */
  update(declaration: StoredDeclaration, expectedVersion: number): Promise<void>;
  /**
   * Records which declarations name which subjects — containers, truck, vessel (`subjectKeysOf`) — for the evidence
   * lookup. Idempotent.
   */
  indexSubjects(
    declaration: Pick<StoredDeclaration, 'id' | 'port' | 'lodgedAt'>,
    subjects: readonly SubjectKey[],
  ): Promise<void>;
  /** The ids of the declarations that name a subject (the subject index), in no particular order. */
  declarationIdsBySubject(subject: SubjectKey): Promise<string[]>;
  get(id: string): Promise<StoredDeclaration | undefined>;
  /** The newest log entry, or undefined for an unknown declaration. */
  latestLogEntry(id: string): Promise<DecisionLogEntry | undefined>;
  /** Every log entry in `seq` order, as stored (unvalidated: the verifier reports what a tamperer left). */
  readLog(id: string): Promise<DecisionLogEntry[]>;
  listByPort(port: string, filter: DeclarationFilter, page: PageRequest): Promise<PageResult<StoredDeclaration>>;
  listByDeclarant(sub: string, filter: DeclarationFilter, page: PageRequest): Promise<PageResult<StoredDeclaration>>;
}
