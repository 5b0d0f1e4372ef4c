import type { Agency } from '../../events/v1/incidents';
import type { Role } from '../../shared/domain/roles';
import { signLocalToken } from '../dev-tokens';
import {
  type ClearancePlan,
  type ClearanceStatus,
  type DeclaredVessel,
  planClearance,
  planDeclaration,
  planTaskResponse,
  RE_ACK_PORT_MINUTES,
  ROLE_FOR_AGENCY,
  wallMs,
} from './agency-plan';
import { portGeometry } from './ports';
import { hashSeed, SeededRandom } from './random';
import type { TruckTrip } from './trucks';

/**
 * The simulated people around the port, so that `npm start` exercises every KPI (docs/performance.md): a customs
 * broker lodging declarations for the boxes trucks bring and take, a customs officer working the yellow and red
 * lanes (documentary checks, inspections with results, some slow, then release or hold), and the agencies of joint
 * control acknowledging and completing their incident tasks (a few left alone, so the workflow escalates them).
 *
 * They act ONLY through the public HTTP API, with local tokens, like any client: nothing here reads the table or
 * calls a handler. What they choose comes from agency-plan.ts (pure, seeded per object: the same declaration
 * reference or task gets the same choices whenever the bot sees it); how long they take is port time, compressed
 * by the simulator's time scale. A failed call is one log line and never stops them; `stop()` ends every timer and
 * aborts calls in flight.
 */
export interface AgencyBotsOptions {
  /** The platform's API, e.g. `http://127.0.0.1:3000`. */
  httpUrl: string;
  /** UN/LOCODE the simulator plays. */
  port: string;
  /** @default 1 */
  seed?: number;
  /** Port seconds per wall second: the simulator's (60 by default). */
  timeScale: number;
  /** Goes into declaration references (`SIM-{runId}-{seq}`), so a restart does not reuse one. */
  runId: string;
  /** Ships a sea import may name (the simulator's fleet). */
  vessels: readonly DeclaredVessel[];
  /**
   * Share of loaded truck trips a declarant lodges for.
   * @default 0.1
   */
  declareShare?: number;
  /**
   * At most this many lodgements per wall second; trips beyond are not declared (the emulator is the bottleneck).
   * @default 1
   */
  maxDeclarationsPerSecond?: number;
  /**
   * How often the agencies look at the open incidents and the officer at the lanes of others' declarations.
   * @default 2000
   */
  pollMs?: number;
  /** @default 4 */
  maxConcurrentCalls?: number;
  log?: (line: string) => void;
  /** @default Date.now */
  clock?: () => number;
}

export interface AgencyBotStats {
  lodged: number;
  byLane: Record<string, number>;
  documentaryChecks: number;
  inspections: number;
  released: number;
  held: number;
  acknowledged: number;
  completed: number;
  /** First dispatches deliberately left alone (escalated by the workflow). */
  leftToEscalate: number;
  failures: number;
}

export interface AgencyBots {
  /** The trucks that checked in at the gate (from the simulator): some get a declaration. */
  offer(trips: readonly TruckTrip[]): void;
  stats(): AgencyBotStats;
  /** Stops every timer and aborts calls in flight; resolves once they have settled. Safe to call twice. */
  stop(): Promise<void>;
}

interface Due {
  at: number;
  what: string;
  run: () => Promise<void>;
}

/** A failed API call, with what the API said. */
class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface IncidentTaskView {
  taskId: string;
  agency: Agency;
  status: string;
  attempt: number;
}
interface IncidentView {
  incidentId: string;
  tasks: IncidentTaskView[];
}

const TOKEN_TTL_S = 3600;
/** Tokens are signed again well before they expire. */
const TOKEN_RENEW_MS = 45 * 60_000;
/** How often the officer sweeps the lanes for declarations lodged by others (or re-routed by evidence). */
const SWEEP_EVERY_POLLS = 10;
/** A task key not seen among the open incidents for this long is forgotten. */
const FORGET_AFTER_MS = 3_600_000;

export function startAgencyBots(options: AgencyBotsOptions): AgencyBots {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const geometry = portGeometry(options.port);
  const root = new SeededRandom(hashSeed(`agencies:${options.port}`, options.seed ?? 1));
  const declareShare = options.declareShare ?? 0.1;
  const maxPerSecond = options.maxDeclarationsPerSecond ?? 1;
  const maxConcurrent = options.maxConcurrentCalls ?? 4;
  const abort = new AbortController();
  const stats: AgencyBotStats = {
    lodged: 0,
    byLane: {},
    documentaryChecks: 0,
    inspections: 0,
    released: 0,
    held: 0,
    acknowledged: 0,
    completed: 0,
    leftToEscalate: 0,
    failures: 0,
  };

  let stopped = false;
  let seq = 0;
  const tripRandom = root.fork('trips');
  const due: Due[] = [];
  const inFlight = new Set<Promise<void>>();
  /** Declarations the officer has in hand (by id → the status it planned for). */
  const officerCases = new Map<string, ClearanceStatus>();
  /** Task dispatches already planned (`incident/task/attempt` → last seen). */
  const seenTasks = new Map<string, number>();
  const lodgeBudget = { second: 0, used: 0 };

  // ---- HTTP, as a client -------------------------------------------------------------------------------------

  const tokens = new Map<Role, { token: Promise<string>; at: number }>();
  const tokenFor = (role: Role): Promise<string> => {
    const cached = tokens.get(role);
    if (cached && clock() - cached.at < TOKEN_RENEW_MS) return cached.token;
    const token = signLocalToken({ roles: [role], sub: `sim-${role}`, ttlSeconds: TOKEN_TTL_S });
    tokens.set(role, { token, at: clock() });
    return token;
  };

  async function call(role: Role, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${options.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenFor(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: abort.signal,
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = {};
    }
    const json = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (!res.ok) {
      const error = (json.error ?? {}) as { code?: unknown; message?: unknown };
      throw new ApiCallError(
        res.status,
        typeof error.code === 'string' ? error.code : 'HTTP_ERROR',
        typeof error.message === 'string' ? error.message : text.slice(0, 200),
      );
    }
    return json;
  }

  const failed = (what: string, e: unknown): void => {
    if (stopped) return;
    stats.failures++;
    const reason =
      e instanceof ApiCallError
        ? `${e.status} ${e.code}: ${e.message}`
        : e instanceof Error
          ? `${e.name}: ${e.message}${causeOf(e)}`
          : String(e);
    log(`${what} failed: ${reason.replace(/\s+/g, ' ')}`);
  };

  // ---- scheduling --------------------------------------------------------------------------------------------

  const schedule = (at: number, what: string, run: () => Promise<void>): void => {
    if (stopped) return;
    let i = due.length;
    while (i > 0 && (due[i - 1]?.at ?? 0) > at) i--;
    due.splice(i, 0, { at, what, run });
  };
  const afterPortMinutes = (minutes: number): number => clock() + wallMs(minutes, options.timeScale);

  const runDue = (): void => {
    const now = clock();
    while (!stopped && inFlight.size < maxConcurrent && (due[0]?.at ?? Number.POSITIVE_INFINITY) <= now) {
      const next = due.shift();
      if (!next) return;
      const running: Promise<void> = next
        .run()
        .catch((e: unknown) => failed(next.what, e))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  };

  // ---- the declarant -----------------------------------------------------------------------------------------

  const lodge = (trip: TruckTrip): void => {
    const second = Math.floor(clock() / 1000);
    if (second !== lodgeBudget.second) Object.assign(lodgeBudget, { second, used: 0 });
    if (lodgeBudget.used >= maxPerSecond) return;
    const n = ++seq;
    const plan = planDeclaration(
      trip,
      { port: geometry.code, country: geometry.country, runId: options.runId, seq: n, vessels: options.vessels },
      root.fork(`declaration:${options.runId}:${n}`),
    );
    if (!plan) return;
    lodgeBudget.used++;
    const what = `declarant: lodge ${plan.body.reference} (${plan.sample}${plan.variants.map((v) => `, ${v}`).join('')})`;
    schedule(clock(), what, async () => {
      const lodged = await call('declarant', 'POST', '/v1/declarations', plan.body);
      stats.lodged++;
      const lane = String(lodged.lane);
      stats.byLane[lane] = (stats.byLane[lane] ?? 0) + 1;
      const status = lodged.status;
      if (status === 'documentary-check' || status === 'inspection') take(String(lodged.id), status);
    });
  };

  // ---- the customs officer -----------------------------------------------------------------------------------

  /** The officer takes a declaration up: its result and decision come after the plan's delay. */
  const take = (id: string, status: ClearanceStatus): void => {
    if (officerCases.get(id) === status) return;
    officerCases.set(id, status);
    const plan = planClearance(status, root.fork(`clearance:${id}:${status}`));
    const kind = status === 'inspection' ? (plan.slow ? 'slow inspection' : 'inspection') : 'documentary check';
    schedule(afterPortMinutes(plan.afterPortMinutes), `customs-officer: ${kind} of ${id}`, () =>
      work(id, status, plan).catch((e: unknown) => {
        // Let the next sweep of the lanes take it up again.
        officerCases.delete(id);
        throw e;
      }),
    );
  };

  const work = async (id: string, status: ClearanceStatus, plan: ClearancePlan): Promise<void> => {
    const current = await call('customs-officer', 'GET', `/v1/declarations/${encodeURIComponent(id)}`);
    if (current.status !== status) {
      // Evidence re-routed it (yellow → red), someone else decided, or it is held: start over on what it is now.
      officerCases.delete(id);
      if (current.status === 'documentary-check' || current.status === 'inspection') take(id, current.status);
      return;
    }
    const inspectedAt = new Date(clock() - 1000).toISOString();
    try {
      await call('customs-officer', 'POST', `/v1/inspections/${encodeURIComponent(id)}/results`, {
        findings: plan.found ? { found: true, codes: plan.codes } : { found: false, notes: 'nothing irregular found' },
        inspectedAt,
        method: plan.method,
        ...(status === 'inspection' ? { recommendation: plan.found ? 'hold' : 'release' } : {}),
      });
    } catch (e) {
      // A result recorded already (a retry after a lost answer) still lets the decision go ahead.
      if (!(e instanceof ApiCallError && e.code === 'INSPECTION_RESULT_EXISTS')) throw e;
    }
    if (status === 'inspection') stats.inspections++;
    else stats.documentaryChecks++;
    await call('customs-officer', 'POST', `/v1/declarations/${encodeURIComponent(id)}/decisions`, {
      action: plan.decision,
      reason: plan.found
        ? `${status === 'inspection' ? 'inspection' : 'documentary check'} found ${plan.codes.join(', ')}`
        : `${status === 'inspection' ? `${plan.method} inspection` : 'documents checked'}: nothing irregular`,
    });
    if (plan.decision === 'release') stats.released++;
    else stats.held++;
    officerCases.delete(id);
  };

  /** Declarations in a control lane that the officer does not have in hand yet (lodged by others, re-routed). */
  const sweepLanes = async (): Promise<void> => {
    for (const status of ['documentary-check', 'inspection'] as const) {
      const page = await call('customs-officer', 'GET', `/v1/declarations?status=${status}&limit=100`);
      for (const item of asArray(page.items)) {
        const id = (item as { id?: unknown }).id;
        if (typeof id === 'string' && !officerCases.has(id)) take(id, status);
      }
    }
  };

  // ---- the agencies of joint control -------------------------------------------------------------------------

  const answerTasks = async (): Promise<void> => {
    const now = clock();
    let nextToken: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({
        status: 'open',
        port: geometry.code,
        limit: '100',
        ...(nextToken ? { nextToken } : {}),
      });
      const body = await call('port-operator', 'GET', `/v1/incidents?${query}`);
      for (const incident of asArray(body.items) as IncidentView[]) {
        for (const task of incident.tasks ?? []) {
          if (task.status !== 'dispatched') continue;
          const key = `${incident.incidentId}/${task.taskId}/${task.attempt}`;
          if (!seenTasks.has(key)) plan(incident.incidentId, task, key);
          seenTasks.set(key, now);
        }
      }
      nextToken = typeof body.nextToken === 'string' ? body.nextToken : undefined;
      if (!nextToken) break;
    }
    for (const [key, seen] of seenTasks) if (now - seen > FORGET_AFTER_MS) seenTasks.delete(key);
  };

  const plan = (incidentId: string, task: IncidentTaskView, key: string): void => {
    const response = planTaskResponse(task.agency, task.attempt, root.fork(`task:${key}`));
    if (!response.answer) {
      stats.leftToEscalate++;
      return;
    }
    const role = ROLE_FOR_AGENCY[task.agency];
    const path = `/v1/incidents/${encodeURIComponent(incidentId)}/tasks/${encodeURIComponent(task.taskId)}`;
    schedule(afterPortMinutes(response.ackAfterPortMinutes), `${role}: acknowledge ${key}`, async () => {
      await call(role, 'POST', `${path}/ack`);
      stats.acknowledged++;
      // Still on it: an acknowledgement again within every heartbeat window until the completion.
      for (let m = RE_ACK_PORT_MINUTES; m < response.completeAfterPortMinutes; m += RE_ACK_PORT_MINUTES) {
        schedule(afterPortMinutes(m), `${role}: acknowledge again ${key}`, async () => {
          await call(role, 'POST', `${path}/ack`);
        });
      }
      schedule(afterPortMinutes(response.completeAfterPortMinutes), `${role}: complete ${key}`, async () => {
        await call(role, 'POST', `${path}/complete`, { outcome: response.outcome, findings: response.findings });
        stats.completed++;
      });
    });
  };

  // ---- timers ------------------------------------------------------------------------------------------------

  const pollMs = options.pollMs ?? 2000;
  let polls = 0;
  let polling = false;
  const poll = (): void => {
    if (stopped || polling) return;
    polling = true;
    const sweep = polls++ % SWEEP_EVERY_POLLS === SWEEP_EVERY_POLLS - 1;
    const running: Promise<void> = (async () => {
      await answerTasks().catch((e: unknown) => failed('agencies: read open incidents', e));
      if (sweep) await sweepLanes().catch((e: unknown) => failed('customs-officer: sweep the lanes', e));
    })().finally(() => {
      polling = false;
      inFlight.delete(running);
    });
    inFlight.add(running);
  };
  const ticker = setInterval(runDue, 100);
  const poller = setInterval(poll, pollMs);

  return {
    offer(trips) {
      if (stopped) return;
      for (const trip of trips) {
        if (trip.carriedIn.length + trip.carriedOut.length === 0) continue;
        if (tripRandom.chance(declareShare)) lodge(trip);
      }
    },
    stats: () => ({ ...stats, byLane: { ...stats.byLane } }),
    async stop() {
      if (stopped) {
        await Promise.allSettled([...inFlight]);
        return;
      }
      stopped = true;
      clearInterval(ticker);
      clearInterval(poller);
      due.length = 0;
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** fetch's "fetch failed" says why only in its cause (ECONNREFUSED, a reset socket …). */
function causeOf(e: Error): string {
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause === undefined || cause === null) return '';
  const why = typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? cause.message : '';
  return why === '' ? '' : ` (${why})`;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
