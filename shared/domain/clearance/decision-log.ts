import { createHash } from 'node:crypto';
import { type DeclarationStatus, type Lane, Timestamp } from '../../../events/v1/clearance-enums';
import type { DecisionActor, DecisionLogAction, DecisionLogEntry } from '../../../events/v1/declaration-audit';
import { KouanError } from '../errors';
import { canonicalJson } from './canonical-json';

/**
 * The clearance decision log of one declaration: append-only and hash-chained, so that changing, removing or
 * reordering a stored entry is detectable (DESIGN.md, data rules). Pure: the use case appends the entry with a
 * conditional put on `(declarationId, seq)` (the commit point) and updates the declaration from it afterwards.
 *
 * How an auditor recomputes it without this code:
 * - `hash` = lower-case hex SHA-256 of the RFC 8785 (JCS) canonical JSON of the entry without its `hash` member
 *   (every other member, including any a tamperer added; see canonical-json.ts);
 * - `prevHash` = the previous entry's `hash`; for `seq` 0 it is {@link genesisHash}: the SHA-256 of the canonical
 *   JSON of `{"declarationId":"<id>","log":"kouan/decision-log/v1"}`, so one declaration's log cannot pass as
 *   another's;
 * - `seq` runs 0, 1, 2 … without gaps.
 *
 * Limits, so nobody over-trusts it: a chain alone cannot show that entries were cut off its end, so the declaration
 * should record the head it last saw (`seq` and `hash`) and {@link verifyChain} checks the log against it. And the
 * hash has no secret: someone who can rewrite the whole log and the declaration's head together can recompute every
 * hash. Against that, publish the heads somewhere the writer cannot change (e.g. a write-once bucket) or sign them.
 */

export type { DecisionLogEntry } from '../../../events/v1/declaration-audit';

/** Names the log format in the genesis value; a new format gets a new name. */
export const DECISION_LOG_FORMAT = 'kouan/decision-log/v1';

/** What the caller supplies for a new entry; `seq`, `prevHash` and `hash` are derived. */
export interface DecisionLogInput {
  declarationId: string;
  /** The position the caller expects; when given it must be the next one (a stale caller fails loudly). */
  seq?: number;
  /** ISO-8601 date-time with offset of the decision (as the platform's clock gives it, e.g. `…Z`). */
  at: string;
  actor: DecisionActor;
  action: DecisionLogAction;
  /** Defaults to the previous entry's `toStatus`; when given it must equal it. */
  fromStatus?: DeclarationStatus;
  toStatus: DeclarationStatus;
  lane?: Lane;
  /** Why, in words; required for every step, machine steps included. */
  reason: string;
  details?: DecisionLogEntry['details'];
}

/** A log entry that cannot be appended; `code` says why. */
export class DecisionLogError extends KouanError {}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The `prevHash` of a declaration's first entry. */
export function genesisHash(declarationId: string): string {
  return sha256Hex(canonicalJson({ declarationId, log: DECISION_LOG_FORMAT }));
}

/**
 * The hash an entry must carry: SHA-256 over the canonical JSON of every member but `hash`. Takes any object so
 * that a verifier also covers members the type does not know (a tamperer may have added some).
 *
 * @throws TypeError when a member is not plain JSON data.
 */
export function entryHash(entry: object): string {
  const { hash: _ignored, ...rest } = entry as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

/**
 * The next entry of a declaration's log, chained to `previous` (`undefined` for the first entry).
 *
 * @throws DecisionLogError `DECISION_LOG_INVALID_ENTRY` when a required field is empty or `at` is not an ISO-8601
 *   date-time with offset;
 *   `DECISION_LOG_WRONG_DECLARATION` when `previous` belongs to another declaration; `DECISION_LOG_SEQ_MISMATCH`
 *   when `input.seq` is not the next position; `DECISION_LOG_STATUS_MISMATCH` when `input.fromStatus` is not where
 *   the previous entry left the declaration; `DECISION_LOG_PREVIOUS_CORRUPT` when `previous` fails its own hash.
 */
export function appendEntry(previous: DecisionLogEntry | undefined, input: DecisionLogInput): DecisionLogEntry {
  const invalid = (what: string) => new DecisionLogError('DECISION_LOG_INVALID_ENTRY', what);
  if (input.declarationId.length === 0) throw invalid('declarationId must not be empty');
  if (input.reason.trim().length === 0) throw invalid('every decision needs a reason');
  if (input.actor.sub.length === 0) throw invalid('actor.sub must not be empty');
  if (!Timestamp.safeParse(input.at).success) throw invalid(`at is not an ISO-8601 date-time with offset: ${input.at}`);

  if (previous !== undefined) {
    if (previous.declarationId !== input.declarationId) {
      throw new DecisionLogError(
        'DECISION_LOG_WRONG_DECLARATION',
        `the previous entry belongs to declaration ${previous.declarationId}, not ${input.declarationId}`,
      );
    }
    if (entryHash(previous) !== previous.hash) {
      throw new DecisionLogError(
        'DECISION_LOG_PREVIOUS_CORRUPT',
        `entry ${previous.seq} of declaration ${previous.declarationId} does not match its hash; refusing to extend it`,
      );
    }
  }
  const seq = previous === undefined ? 0 : previous.seq + 1;
  if (input.seq !== undefined && input.seq !== seq) {
    throw new DecisionLogError('DECISION_LOG_SEQ_MISMATCH', `expected seq ${seq}, got ${input.seq}`);
  }
  const fromStatus = input.fromStatus ?? previous?.toStatus;
  if (previous !== undefined && input.fromStatus !== undefined && input.fromStatus !== previous.toStatus) {
    throw new DecisionLogError(
      'DECISION_LOG_STATUS_MISMATCH',
      `the declaration is ${previous.toStatus} after entry ${previous.seq}, not ${input.fromStatus}`,
    );
  }

  // Optional members are left out rather than set to undefined, so the stored item and the hashed text agree.
  const unsigned: Omit<DecisionLogEntry, 'hash'> = {
    declarationId: input.declarationId,
    seq,
    at: input.at,
    actor: { sub: input.actor.sub, role: input.actor.role },
    action: input.action,
    ...(fromStatus !== undefined ? { fromStatus } : {}),
    toStatus: input.toStatus,
    ...(input.lane !== undefined ? { lane: input.lane } : {}),
    reason: input.reason,
    // A copy through the canonical text: the caller changing its object later cannot change a hashed entry, and
    // what is stored is exactly what is hashed (non-JSON data is refused here, with a TypeError).
    ...(input.details !== undefined
      ? { details: JSON.parse(canonicalJson(input.details)) as DecisionLogEntry['details'] }
      : {}),
    prevHash: previous === undefined ? genesisHash(input.declarationId) : previous.hash,
  };
  return { ...unsigned, hash: entryHash(unsigned) };
}

/** What the declaration recorded about its log, to detect entries cut off the end. */
export interface ChainAnchor {
  /** The declaration the log must belong to; defaults to the first entry's. Pass it whenever it is known. */
  declarationId?: string;
  /** The `seq` of the last entry the declaration saw; the log may be longer (projections lag the log), not shorter. */
  headSeq?: number;
  /** The `hash` of that entry. */
  headHash?: string;
}

export type ChainVerification = { verified: true } | { verified: false; brokenAt: number; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored value for a message; never throws, whatever a tampered store holds (`String()` can). */
function show(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return `a ${typeof v}`;
  }
}

/**
 * Verifies a declaration's log, entries in `seq` order as stored. `brokenAt` is the index of the first entry that
 * fails (or `entries.length` when entries are missing at the end): an edited entry fails at itself (its hash no
 * longer matches); an edited entry whose hash was recomputed to match fails at the entry after it (whose `prevHash`
 * no longer matches) or, for the head, against the anchor's `headHash`; a removed or reordered entry fails at the
 * first position whose `seq` is wrong; a wrong genesis at 0.
 *
 * Typed for entries but written for whatever a store returns: a malformed entry is reported, never thrown.
 */
export function verifyChain(entries: readonly DecisionLogEntry[], anchor: ChainAnchor = {}): ChainVerification {
  const broken = (brokenAt: number, reason: string): ChainVerification => ({ verified: false, brokenAt, reason });
  const first: unknown = entries[0];
  const declarationId = anchor.declarationId ?? (isRecord(first) ? first.declarationId : undefined);

  let prevHash = typeof declarationId === 'string' ? genesisHash(declarationId) : undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    if (!isRecord(entry)) return broken(i, `entry ${i} is not an object`);
    if (typeof entry.hash !== 'string' || typeof entry.prevHash !== 'string') {
      return broken(i, `entry ${i} has no hash or prevHash`);
    }
    if (entry.declarationId !== declarationId) {
      return broken(i, `entry ${i} belongs to declaration ${show(entry.declarationId)}, not ${show(declarationId)}`);
    }
    if (entry.seq !== i) {
      return broken(i, `entry ${i} has seq ${show(entry.seq)}: an entry was removed, inserted or moved before it`);
    }
    if (entry.prevHash !== prevHash) {
      return broken(
        i,
        i === 0
          ? `entry 0 does not start from the genesis value of declaration ${show(declarationId)}`
          : `entry ${i} does not follow entry ${i - 1}: its prevHash is not that entry's hash`,
      );
    }
    let expected: string;
    try {
      expected = entryHash(entry);
    } catch (e) {
      return broken(i, `entry ${i} holds data without a canonical form: ${(e as Error).message}`);
    }
    if (entry.hash !== expected) {
      return broken(i, `entry ${i} was changed after it was written: its hash does not match its content`);
    }
    prevHash = entry.hash;
  }

  if (anchor.headSeq !== undefined) {
    if (entries.length <= anchor.headSeq) {
      return broken(
        entries.length,
        `the log ends before seq ${anchor.headSeq}, which the declaration recorded: entries were removed from the end`,
      );
    }
    if (anchor.headHash !== undefined && entries[anchor.headSeq]?.hash !== anchor.headHash) {
      return broken(anchor.headSeq, `entry ${anchor.headSeq} is not the one the declaration recorded as its head`);
    }
  }
  return { verified: true };
}
