import { createHash, randomUUID } from 'node:crypto';
import type * as api from '../../events/v1/api';
import type { CustomsEvent } from '../../events/v1/customs-events';
import type {
  DecisionInput,
  DeclarationAssessment,
  DeclarationInput,
  DeclarationStatus,
  Lane,
  ReferralAgency,
} from '../../events/v1/declaration';
import type { DecisionActor, DecisionLogEntry, DeclarationAudit } from '../../events/v1/declaration-audit';
import type { Caller } from '../domain/caller';
import { canonicalJson } from '../domain/clearance/canonical-json';
import { customsEventsFor } from '../domain/clearance/customs-events';
import { appendEntry, type DecisionLogInput, verifyChain } from '../domain/clearance/decision-log';
import { subjectKeysOf } from '../domain/clearance/declaration-subjects';
import { ClearanceTransitionError, nextStatus, statusForLane } from '../domain/clearance/lifecycle';
import { referralsAtLodgement } from '../domain/clearance/referrals';
import { slaDueAt, slaState } from '../domain/clearance/sla';
import { ConflictError } from '../domain/errors';
import { clearanceFactsOf } from '../domain/performance/clearance-facts';
import {
  type Assessment,
  assess,
  defaultSelectivitySettings,
  isStricter,
  NO_EVIDENCE,
  type RiskProfile,
  relax,
  reroute,
  type SelectivitySettings,
} from '../domain/risk';
import { AGENCY_ROLES, type Role } from '../domain/roles';
import type { CustomsEventStore } from '../ports/customs-event-store';
import {
  type DeclarationFilter,
  type DeclarationStore,
  type ReferenceClaim,
  StaleWriteError,
  type StoredDeclaration,
} from '../ports/declaration-store';
import type { PerformanceRecorder } from '../ports/performance-store';
import type { PageRequest, PageResult } from '../ports/port-reader';
import { NotFoundError } from './port-queries';

/**
 * Declarations and officer decisions (CONTRACT.md §3, issue 3): lodge → assess → lane, decisions with a hash-chained
 * decision log, the audit. The routes are thin: they parse, call one of these, and return the result.
 *
 * Writes follow DESIGN.md's data rules: no transactions. Each step first appends its decision-log entries with
 * conditional puts on their position (the commit point: of two concurrent decisions only one gets the position),
 * then writes the declaration's state conditioned on the version it read. A crash between the two leaves the log
 * ahead of the state; the next decision rolls the state forward from the log before it decides.
 */

/** What the declaration use cases need, injected once per cold start by the API handler. */
export interface DeclarationDependencies {
  store: DeclarationStore;
  /** The port this deployment serves: the default of the agencies' list. */
  servedPort: string;
  /** The selectivity profile in force: the newest stored revision (`currentProfileSource` in risk-rules.ts). */
  profile: () => Promise<RiskProfile>;
  settings: SelectivitySettings;
  /**
   * Where the DCSA-style customs events go (`GET /v1/events`). Optional only so that use cases that write no
   * customs events (the evidence re-assessment) need not wire it; the API handler always does.
   */
  events?: CustomsEventStore;
  now?: () => Date;
  newId?: () => string;
  /** After a lodgement's assessment is stored: joint control raises an incident for a high-scoring red lane. */
  onAssessed?: (declaration: StoredDeclaration) => Promise<void>;
  /**
   * Where the time-release facts of each step go (lodged, assessed, inspected, released: docs/performance.md). After
   * the state, like the customs events; fact ids derive from the entries, so a retry records nothing twice.
   */
  performance?: PerformanceRecorder;
}

/** Approximate USD rates for the value-range checks; an unknown currency never hits (docs/risk-engine.md). */
// Reference rates, not a feed: the value-range rules only flag values far outside a wide range, so a few per cent
// of drift does not matter. A deployment that needs more loads its rates into the settings.
export const REFERENCE_USD_RATES: Readonly<Record<string, number>> = Object.freeze({
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  CNY: 0.14,
  HKD: 0.128,
  JPY: 0.0067,
  KRW: 0.00073,
  SGD: 0.74,
  VND: 0.00004,
  INR: 0.012,
  AUD: 0.66,
});

/**
 * Selectivity settings from the deployment's seed: the defaults of docs/risk-engine.md. The seed id names the seed
 * by a digest prefix, so an auditor can tell which seed an assessment used without the seed being published.
 */
export function selectivitySettingsFromSeed(seed: string): SelectivitySettings {
  const seedId = `seed-${createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 12)}`;
  return defaultSelectivitySettings({ seedId, seed }, REFERENCE_USD_RATES);
}

const SYSTEM: DecisionActor = { sub: 'kouan', role: 'system' };

/** Agencies that see every declaration of the port; quarantine sees those referred to it. */
const SEES_ALL_DECLARATIONS: readonly Role[] = AGENCY_ROLES.filter((r) => r !== 'quarantine');

const seesAll = (caller: Caller) => caller.roles.some((r) => SEES_ALL_DECLARATIONS.includes(r));

/**
 * Who may see a declaration: customs, border and maritime see all; quarantine those referred to it; a declarant
 * only those it lodged. Others' declarations are answered 404, not 403, so nobody can probe which ids exist.
 */
export function maySeeDeclaration(caller: Caller, d: Pick<StoredDeclaration, 'lodgedBy' | 'referredTo'>): boolean {
  if (seesAll(caller)) return true;
  if (caller.roles.includes('quarantine') && (d.referredTo ?? []).includes('quarantine')) return true;
  return caller.roles.includes('declarant') && d.lodgedBy.sub === caller.sub;
}

/**
 * The holds in force: while a declaration is held, every hold since it was last in another status (an officer's
 * and joint control's alike), oldest first. Empty when it is not held.
 */
export function holdsOf(status: DeclarationStatus, log: readonly DecisionLogEntry[]): api.DeclarationHoldView[] {
  if (status !== 'held') return [];
  const holds: api.DeclarationHoldView[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i];
    if (e === undefined || e.toStatus !== 'held') break;
    if (e.action === 'hold') holds.unshift({ at: e.at, byRole: e.actor.role, reason: e.reason, seq: e.seq });
  }
  return holds;
}

// ---------------------------------------------------------------------------------------------------------------
// Views

function reasonsOf(a: Assessment): api.DeclarationReasonView[] {
  return a.reasons.map((r) => ({
    code: r.code,
    ruleId: r.ruleId,
    weight: r.weight,
    message: r.message,
    lane: r.lane,
    ...(r.ruleVersion !== undefined ? { ruleVersion: r.ruleVersion } : {}),
    ...(r.items !== undefined ? { items: [...r.items] } : {}),
    ...(r.evidenceIds !== undefined ? { evidenceIds: [...r.evidenceIds] } : {}),
  }));
}

function stateOf(d: StoredDeclaration, now: Date) {
  return {
    id: d.id,
    reference: d.reference,
    port: d.port,
    direction: d.direction,
    status: d.status,
    lane: d.assessment.lane,
    score: d.assessment.score,
    lodgedAt: d.lodgedAt,
    assessedAt: d.assessment.assessedAt,
    slaDueAt: d.slaDueAt,
    slaState: slaState(d.slaDueAt, now, d.releasedAt),
    perishable: d.perishable === true,
    referredTo: [...(d.referredTo ?? [])],
  };
}

export function declarationSummary(d: StoredDeclaration, now: Date): api.DeclarationSummaryView {
  return { ...stateOf(d, now), traderId: d.trader.id, containers: [...d.containers] };
}

export function declarationView(
  d: StoredDeclaration,
  log: readonly DecisionLogEntry[],
  now: Date,
): api.DeclarationView {
  const o = d.assessment.override;
  return {
    ...stateOf(d, now),
    trader: d.trader,
    transport: d.transport,
    containers: [...d.containers],
    items: d.items,
    ...(d.documents !== undefined ? { documents: d.documents } : {}),
    lodgedBy: d.lodgedBy,
    reasons: reasonsOf(d.assessment),
    ...(o ? { override: { at: o.at, fromLane: o.fromLane, toLane: o.toLane, reason: o.reason } } : {}),
    version: d.version,
    holds: holdsOf(d.status, log),
    // The officers' identities stay in the audit (customs only); the history says which role acted.
    history: log.map((e) => ({
      seq: e.seq,
      at: e.at,
      action: e.action,
      actorRole: e.actor.role,
      ...(e.fromStatus !== undefined ? { fromStatus: e.fromStatus } : {}),
      toStatus: e.toStatus,
      ...(e.lane !== undefined ? { lane: e.lane } : {}),
      reason: e.reason,
    })),
  };
}

function assessmentResponse(d: StoredDeclaration): DeclarationAssessment {
  return {
    id: d.id,
    status: d.status,
    lane: d.assessment.lane,
    score: d.assessment.score,
    reasons: d.assessment.reasons.map((r) => ({
      code: r.code,
      ruleId: r.ruleId,
      weight: r.weight,
      message: r.message,
    })),
    assessedAt: d.assessment.assessedAt,
    slaDueAt: d.slaDueAt,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Use cases

/** Chains a new log's entries (each carries the hash of the one before), without writing them. */
function chainEntries(inputs: readonly DecisionLogInput[]): [DecisionLogEntry, ...DecisionLogEntry[]] {
  const out: DecisionLogEntry[] = [];
  for (const input of inputs) out.push(appendEntry(out[out.length - 1], input));
  const [first, ...rest] = out;
  if (first === undefined) throw new Error('a log needs at least one entry');
  return [first, ...rest];
}

/** Appends the entries one after the other (each chained to the one before) and returns them. */
async function appendAll(
  store: DeclarationStore,
  previous: DecisionLogEntry | undefined,
  inputs: readonly DecisionLogInput[],
): Promise<[DecisionLogEntry, ...DecisionLogEntry[]]> {
  const out: DecisionLogEntry[] = [];
  let last = previous;
  for (const input of inputs) {
    const entry = appendEntry(last, input);
    await store.appendLogEntry(entry);
    out.push(entry);
    last = entry;
  }
  const [first, ...rest] = out;
  if (first === undefined) throw new Error('appendAll needs at least one entry');
  return [first, ...rest];
}

/**
 * Writes the DCSA-style customs events of committed log entries (CUSI, CUSR, HOLD, RELS), after the state: ids
 * derive from the entries, so a retry rewrites nothing. The log stays the record; the events are its public feed.
 */
async function writeCustomsEvents(
  deps: DeclarationDependencies,
  entries: readonly DecisionLogEntry[],
  d: StoredDeclaration,
): Promise<void> {
  if (deps.events === undefined) return;
  const createdAt = (deps.now ?? (() => new Date()))().toISOString();
  await deps.events.append(entries.flatMap((e) => customsEventsFor(e, d, createdAt)));
}

/** How long a reference claim may wait for its declaration: well beyond the API function's timeout (10 s). */
const ABANDONED_CLAIM_MS = 60_000;

/** A digest of the body as lodged, key order and whitespace aside. */
function bodyHashOf(input: DeclarationInput): string {
  return createHash('sha256').update(canonicalJson(input), 'utf8').digest('hex');
}

/**
 * A reference already claimed: the same body again is a re-submission (the declaration it lodged is the answer), a
 * different body is a conflict. A claim whose lodgement died before writing its declaration is taken over by this
 * one (`claim` then names the new id and undefined comes back); a claim that may still be writing is a 409 to retry.
 */
async function lodgedUnderReference(
  deps: DeclarationDependencies,
  lodgedBy: string,
  reference: string,
  held: ReferenceClaim,
  claim: ReferenceClaim,
  now: Date,
): Promise<StoredDeclaration | undefined> {
  if (held.bodyHash !== claim.bodyHash) {
    throw new ConflictError(
      'REFERENCE_IN_USE',
      `reference ${reference} was lodged with another body (declaration ${held.declarationId}); a new declaration needs a new reference`,
      { declarationId: held.declarationId },
    );
  }
  const lodged = await deps.store.get(held.declarationId);
  if (lodged !== undefined) return lodged;
  const inProgress = new ConflictError(
    'LODGEMENT_IN_PROGRESS',
    `a lodgement with reference ${reference} is in progress; retry in a few seconds`,
  );
  if (now.getTime() - Date.parse(held.claimedAt) < ABANDONED_CLAIM_MS) throw inProgress;
  try {
    await deps.store.reassignReference(lodgedBy, reference, held.declarationId, claim);
  } catch (e) {
    if (e instanceof StaleWriteError) throw inProgress;
    throw e;
  }
  return undefined;
}

/**
 * Lodges a declaration (the body validated by the route): assesses it (lane, score, reasons in the response), writes the first
 * decision-log entries (lodge, assess, and release for green/blue), then the declaration. Device evidence does not
 * exist yet at lodgement (`NO_EVIDENCE`); evidence arriving later re-assesses open declarations from the stream.
 */
export async function lodgeDeclaration(
  deps: DeclarationDependencies,
  caller: Caller,
  input: DeclarationInput,
): Promise<DeclarationAssessment> {
  const now = deps.now ?? (() => new Date());
  const id = (deps.newId ?? randomUUID)();
  const lodgedAt = now().toISOString();
  const role: Role = caller.roles.includes('declarant') ? 'declarant' : 'customs-officer';

  // The reference is claimed first (beside loading the profile, so it costs no extra round trip): a re-submission
  // of the same body gets the declaration it lodged, never a second one.
  const claim = { declarationId: id, bodyHash: bodyHashOf(input), claimedAt: lodgedAt };
  const [held, profile] = await Promise.all([
    deps.store.claimReference(caller.sub, input.reference, claim),
    deps.profile(),
  ]);
  if (held !== undefined) {
    const lodged = await lodgedUnderReference(deps, caller.sub, input.reference, held, claim, now());
    if (lodged !== undefined) {
      // What followed the first attempt's write may not have happened (a crash, a failed incident raise): again,
      // idempotently — while the declaration is as that lodgement left it (nothing decided on it since).
      if (lodged.version === 1) await deps.onAssessed?.(lodged);
      return assessmentResponse(lodged);
    }
  }

  const assessment = assess({ ...input, id }, NO_EVIDENCE, profile, deps.settings, { now });
  const toStatus = statusForLane(assessment.lane);
  const actor: DecisionActor = { sub: caller.sub, role };
  const hits = assessment.reasons.map((r) => r.code);
  const steps: DecisionLogInput[] = [
    { declarationId: id, at: lodgedAt, actor, action: 'lodge', toStatus: 'lodged', reason: 'declaration lodged' },
    {
      declarationId: id,
      at: assessment.assessedAt,
      actor: SYSTEM,
      action: 'assess',
      toStatus: toStatus === 'released' ? 'assessed' : toStatus,
      lane: assessment.lane,
      reason: hits.length > 0 ? `selectivity: ${hits.join(', ')}` : 'selectivity: no criterion hit',
      details: {
        score: assessment.score,
        profileVersion: assessment.profileVersion,
        randomSeedId: assessment.randomSeedId,
        selectedBy: assessment.selectedBy,
        reasons: assessment.reasons.map((r) => ({ code: r.code, ruleId: r.ruleId, weight: r.weight, lane: r.lane })),
      },
    },
  ];
  const referrals = referralsAtLodgement(input);
  for (const r of referrals) {
    steps.push({
      declarationId: id,
      at: assessment.assessedAt,
      actor: SYSTEM,
      action: 'refer',
      // No change of status (and so no customs event): from and to are where the assessment left it.
      fromStatus: steps[1]?.toStatus ?? 'assessed',
      toStatus: steps[1]?.toStatus ?? 'assessed',
      reason: r.reason,
      details: { agency: r.agency },
    });
  }
  if (toStatus === 'released') {
    steps.push({
      declarationId: id,
      at: assessment.assessedAt,
      actor: SYSTEM,
      action: 'release',
      toStatus: 'released',
      lane: assessment.lane,
      reason: `released on assessment: ${assessment.lane} lane`,
    });
  }
  // A new declaration's log is all new positions: chain the entries in memory and write them in one batch with the
  // subject index (an index entry naming a declaration not yet written is harmless: evidence finds it missing).
  // Fewer requests before the 201 is what keeps lodge → lane fast (docs/benchmarks.md).
  const entries = chainEntries(steps);
  const head = entries[entries.length - 1] ?? entries[0];

  const declaration: StoredDeclaration = {
    ...input,
    id,
    lodgedBy: { sub: caller.sub, role },
    lodgedAt,
    status: toStatus,
    assessment,
    slaDueAt: slaDueAt(lodgedAt, { perishable: input.perishable === true }),
    ...(toStatus === 'released' ? { releasedAt: assessment.assessedAt } : {}),
    ...(referrals.length > 0 ? { referredTo: referrals.map((r) => r.agency) } : {}),
    version: 1,
    logHead: { seq: head.seq, hash: head.hash },
    updatedAt: lodgedAt,
  };
  const subjects = subjectKeysOf(declaration);
  await deps.store.startLog(entries, { declaration, subjects });
  await deps.store.create(declaration);
  // What follows the commit, side by side: the customs events, the time-release facts and (for a high-scoring red
  // lane) the joint-control incident. Each is idempotent; a failure answers 5xx and the re-submission completes it.
  await Promise.all([
    deps.onAssessed?.(declaration),
    writeCustomsEvents(deps, entries, declaration),
    deps.performance?.record(clearanceFactsOf(declaration, entries, entries)),
  ]);
  return assessmentResponse(declaration);
}

/** The declaration if it exists and the caller may see it; otherwise 404 (the same answer for both). */
async function visibleDeclaration(deps: DeclarationDependencies, caller: Caller, id: string) {
  const d = await deps.store.get(id);
  if (d === undefined || !maySeeDeclaration(caller, d)) throw new NotFoundError('declaration', id);
  return d;
}

export async function getDeclaration(
  deps: DeclarationDependencies,
  caller: Caller,
  id: string,
): Promise<api.DeclarationView> {
  const d = await visibleDeclaration(deps, caller, id);
  const log = await deps.store.readLog(id);
  return declarationView(d, log.slice(0, d.logHead.seq + 1), (deps.now ?? (() => new Date()))());
}

/**
 * Lists declarations newest first: an agency caller those of a port (the served port by default), a declarant only
 * its own (at every port: its own partition, so nobody pages through others' declarations).
 */
export async function listDeclarations(
  deps: DeclarationDependencies,
  caller: Caller,
  query: DeclarationFilter & PageRequest & { port?: string },
): Promise<PageResult<api.DeclarationSummaryView>> {
  const filter: DeclarationFilter = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.lane ? { lane: query.lane } : {}),
  };
  const page: PageRequest = { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) };
  const agency = caller.roles.some((r) => (AGENCY_ROLES as readonly Role[]).includes(r));
  // Quarantine alone lists only what is referred to it (a filter on the port's index: pages may come back short).
  const agencyFilter: DeclarationFilter = seesAll(caller) ? filter : { ...filter, referredTo: 'quarantine' };
  const res = agency
    ? await deps.store.listByPort(query.port ?? deps.servedPort, agencyFilter, page)
    : await deps.store.listByDeclarant(caller.sub, filter, page);
  const now = (deps.now ?? (() => new Date()))();
  const items = res.items.filter((d) => agency || d.port === (query.port ?? d.port));
  return {
    items: items.map((d) => declarationSummary(d, now)),
    ...(res.nextToken ? { nextToken: res.nextToken } : {}),
  };
}

/** The agency a `refer` entry refers to. */
function referralOf(e: DecisionLogEntry): ReferralAgency | undefined {
  const agency = e.action === 'refer' ? e.details?.agency : undefined;
  return agency === 'quarantine' ? agency : undefined;
}

/** Two decisions raced, or the state moved under this one: retry after reading the declaration again. */
export class DecisionConflictError extends ConflictError {
  constructor(id: string) {
    super('DECISION_CONFLICT', `declaration ${id} changed while deciding; read it again and retry`);
  }
}

/** The state as the log says it is: rolls forward entries the state has not caught up with (a crash in between). */
export function rolledForward(d: StoredDeclaration, latest: DecisionLogEntry | undefined): StoredDeclaration {
  if (latest === undefined || latest.seq <= d.logHead.seq) return d;
  const lane = latest.lane ?? d.assessment.lane;
  // A re-assessment logs its whole new assessment (reassess-on-evidence.ts); any other entry changes the lane only.
  const logged =
    latest.action === 'reassess' ? (latest.details?.assessment as unknown as Assessment | undefined) : undefined;
  const referredTo = referralOf(latest);
  return {
    ...d,
    status: latest.toStatus,
    ...(referredTo && !(d.referredTo ?? []).includes(referredTo)
      ? { referredTo: [...(d.referredTo ?? []), referredTo] }
      : {}),
    assessment: logged ?? { ...d.assessment, lane },
    ...(latest.toStatus === 'released' && d.releasedAt === undefined ? { releasedAt: latest.at } : {}),
    logHead: { seq: latest.seq, hash: latest.hash },
  };
}

function officerLane(a: Assessment, lane: Lane, officer: string, reason: string, at: string): Assessment {
  const decision = { lane, officer, reason, at };
  return isStricter(a.lane, lane) ? relax(a, decision) : reroute(a, decision);
}

/**
 * An officer's decision: release, hold, inspect (re-route to red) or re-route to a lane (stricter or, as only an
 * officer may, less strict). Checked against the lifecycle (409 with a code for an action the status does not
 * allow), appended to the log at the next position (the commit point: a concurrent decision loses with 409), then
 * the state is written on its version.
 */
export async function decideDeclaration(
  deps: DeclarationDependencies,
  caller: Caller,
  id: string,
  decision: DecisionInput,
): Promise<api.DeclarationView> {
  const now = deps.now ?? (() => new Date());
  const [stored, latest] = await Promise.all([deps.store.get(id), deps.store.latestLogEntry(id)]);
  if (stored === undefined || !maySeeDeclaration(caller, stored)) throw new NotFoundError('declaration', id);
  const current = rolledForward(stored, latest);

  const toStatus: DeclarationStatus = nextStatus(current.status, decision.action, decision.lane);
  if (decision.action === 'refer' && decision.agency && (current.referredTo ?? []).includes(decision.agency)) {
    throw new ClearanceTransitionError('DECLARATION_ALREADY_REFERRED', `already referred to ${decision.agency}`);
  }
  const at = now().toISOString();
  let assessment = current.assessment;
  if (decision.action === 'inspect') assessment = officerLane(assessment, 'red', caller.sub, decision.reason, at);
  if (decision.action === 'reroute' && decision.lane !== undefined) {
    assessment = officerLane(assessment, decision.lane, caller.sub, decision.reason, at);
  }

  let entry: DecisionLogEntry;
  try {
    [entry] = await appendAll(deps.store, latest, [
      {
        declarationId: id,
        at,
        actor: { sub: caller.sub, role: 'customs-officer' },
        action: decision.action,
        fromStatus: current.status,
        toStatus,
        lane: assessment.lane,
        reason: decision.reason,
        ...(assessment.lane !== current.assessment.lane
          ? { details: { fromLane: current.assessment.lane, toLane: assessment.lane } }
          : {}),
        ...(decision.action === 'refer' && decision.agency ? { details: { agency: decision.agency } } : {}),
        ...(decision.action === 'inspect' && decision.method
          ? {
              details: {
                method: decision.method,
                ...(assessment.lane !== current.assessment.lane
                  ? { fromLane: current.assessment.lane, toLane: assessment.lane }
                  : {}),
              },
            }
          : {}),
      },
    ]);
  } catch (e) {
    if (e instanceof StaleWriteError) throw new DecisionConflictError(id);
    throw e;
  }

  const referredTo =
    decision.action === 'refer' && decision.agency
      ? [...(current.referredTo ?? []), decision.agency]
      : current.referredTo;
  const next = await projectCommitted(deps, stored, current, {
    toStatus,
    assessment,
    at,
    entry,
    ...(referredTo ? { referredTo } : {}),
  });
  const [log] = await Promise.all([deps.store.readLog(id), writeCustomsEvents(deps, [entry], next)]);
  const upToEntry = log.slice(0, entry.seq + 1);
  await deps.performance?.record(clearanceFactsOf(next, upToEntry, [entry]));
  return declarationView(next, upToEntry, now());
}

/**
 * Writes the state after a committed log entry, on the version last read. A lost race here is another writer
 * projecting (a roll-forward of earlier entries); read again and project on top.
 */
export async function projectCommitted(
  deps: DeclarationDependencies,
  stored: StoredDeclaration,
  current: StoredDeclaration,
  change: {
    toStatus: DeclarationStatus;
    assessment: Assessment;
    at: string;
    entry: DecisionLogEntry;
    referredTo?: ReferralAgency[];
  },
): Promise<StoredDeclaration> {
  let base = stored;
  let next = projected(current, base.version, change);
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.store.update(next, base.version);
      return next;
    } catch (e) {
      if (!(e instanceof StaleWriteError) || attempt >= 4) throw e;
      const fresh = await deps.store.get(stored.id);
      if (fresh === undefined) throw e;
      if (fresh.logHead.seq >= change.entry.seq) return fresh;
      base = fresh;
      next = projected(fresh, fresh.version, change);
    }
  }
}

/** The state after a committed decision entry. */
function projected(
  from: StoredDeclaration,
  version: number,
  d: {
    toStatus: DeclarationStatus;
    assessment: Assessment;
    at: string;
    entry: DecisionLogEntry;
    referredTo?: ReferralAgency[];
  },
): StoredDeclaration {
  return {
    ...from,
    status: d.toStatus,
    ...(d.referredTo ? { referredTo: d.referredTo } : {}),
    assessment: d.assessment,
    ...(d.toStatus === 'released' && from.releasedAt === undefined ? { releasedAt: d.at } : {}),
    version: version + 1,
    logHead: { seq: d.entry.seq, hash: d.entry.hash },
    updatedAt: d.at,
  };
}

/** The decision log with the result of verifying it against the head the declaration recorded. */
export async function getDeclarationAudit(
  deps: DeclarationDependencies,
  caller: Caller,
  id: string,
): Promise<DeclarationAudit> {
  const d = await visibleDeclaration(deps, caller, id);
  const entries = await deps.store.readLog(id);
  const result = verifyChain(entries, { declarationId: id, headSeq: d.logHead.seq, headHash: d.logHead.hash });
  return {
    declarationId: id,
    entries,
    verified: result.verified,
    ...(result.verified ? {} : { brokenAt: result.brokenAt, reason: result.reason }),
  };
}

/** A port's customs events newest first (the served port by default), optionally only those created since a time. */
export async function listCustomsEvents(
  deps: DeclarationDependencies,
  query: PageRequest & { port?: string; since?: string },
): Promise<PageResult<CustomsEvent>> {
  if (deps.events === undefined) return { items: [] };
  const page: PageRequest = { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) };
  const since = query.since !== undefined ? new Date(query.since).toISOString() : undefined;
  return deps.events.listByPort(query.port ?? deps.servedPort, since, page);
}
