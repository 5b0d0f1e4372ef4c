import { DeclarationInput } from '../../events/v1/declaration';
import type { Incident } from '../../events/v1/incidents';
import { verifyChain } from '../../shared/domain/clearance/decision-log';
import type { RaiseRequest } from '../../shared/domain/incidents/incident';
import type { Alert } from '../../shared/domain/model';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import type { ApiDependencies } from '../../shared/http/api-types';
import { createRouter } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';
import type { PortReader } from '../../shared/ports/port-reader';
import {
  type DeclarationDependencies,
  lodgeDeclaration,
  selectivitySettingsFromSeed,
} from '../../shared/use-cases/declarations';
import { createIncidentSteps } from '../../shared/use-cases/incident-steps';
import { incidentRaisingAlertSink, redLaneIncidentHook } from '../../shared/use-cases/incident-triggers';
import {
  acknowledgeIncidentTask,
  completeIncidentTask,
  getIncident,
  type IncidentDependencies,
  listIncidents,
  raiseIncident,
} from '../../shared/use-cases/incidents';
import { InMemoryDeclarationStore } from '../support/in-memory-declaration-store';
import { InMemoryIncidentStore } from '../support/in-memory-incident-store';
import { InMemoryRuleHitStore } from '../support/in-memory-rule-hit-store';
import { RecordingCallbacks, RecordingNotifier, RecordingWorkflow } from '../support/incident-fakes';
import { OPEN_DECLARATION } from '../support/route-samples';

// The incident use cases and the workflow's steps over in-memory stores and recording fakes of the workflow ports.

const T0 = Date.parse('2026-11-26T08:00:00.000Z');

function setup() {
  let minutes = 0;
  const now = () => new Date(T0 + minutes * 60_000);
  const store = new InMemoryIncidentStore();
  const workflow = new RecordingWorkflow();
  const notifier = new RecordingNotifier();
  const callbacks = new RecordingCallbacks();
  const declarationStore = new InMemoryDeclarationStore();
  const hits = new InMemoryRuleHitStore();
  const deps: IncidentDependencies = {
    store,
    workflow,
    notifier,
    callbacks,
    servedPort: 'CNSGH',
    dedupeWindowMinutes: 60,
    now,
  };
  const steps = createIncidentSteps({ store, notifier, declarations: declarationStore, hits, now });
  const declarations: DeclarationDependencies = {
    store: declarationStore,
    servedPort: 'CNSGH',
    profile: async () => DEFAULT_RISK_PROFILE,
    settings: selectivitySettingsFromSeed('unit-test-selectivity-seed'),
    now,
  };
  return {
    deps,
    store,
    workflow,
    notifier,
    callbacks,
    steps,
    declarations,
    declarationStore,
    hits,
    advance: (m: number) => {
      minutes += m;
    },
  };
}

const alert = (over: Partial<Alert> = {}): Alert => ({
  alertId: 'AL-1',
  port: 'CNSGH',
  type: 'rpm.alarm',
  severity: 'high',
  subject: { kind: 'container', id: 'CSQU3054383' },
  observedAt: '2026-11-26T07:59:58.000Z',
  deviceId: 'rpm-01',
  evidence: { laneId: 'RPM-1', containers: ['CSQU3054383'] },
  ...over,
});

const border = { sub: 'officer-b', roles: ['border'] as const };
const customs = { sub: 'officer-c', roles: ['customs-officer'] as const };

/** Raises from an alert, plans and dispatches every task (tokens `tok-{task}-{attempt}`). */
async function raisedAndDispatched(s: ReturnType<typeof setup>, a: Alert = alert()): Promise<Incident> {
  await incidentRaisingAlertSink(s.deps).alert(a);
  const id = s.workflow.started.at(-1)?.incidentId ?? '';
  const plan = await s.steps.run({ step: 'plan', incidentId: id });
  if (plan.step !== 'plan') throw new Error('not a plan');
  for (const t of plan.tasks) {
    await s.steps.run({
      step: 'dispatch',
      incidentId: id,
      taskId: t.taskId,
      taskToken: `tok-${t.taskId}-1`,
      attempt: 1,
    });
  }
  return getIncident(s.deps, id);
}

describe('raising', () => {
  it('raises one incident from an alert, starts its workflow and tells each agency', async () => {
    const s = setup();
    await incidentRaisingAlertSink(s.deps).alert(alert());

    const [incident] = [...s.store.incidents.values()];
    expect(incident).toMatchObject({
      type: 'radiation-alarm',
      severity: 'high',
      status: 'open',
      subject: { kind: 'container', id: 'CSQU3054383' },
      agencies: ['customs', 'border', 'port-operator'],
      containers: ['CSQU3054383'],
      raisedBy: 'joint-control',
      duplicates: 0,
    });
    expect(s.workflow.started).toEqual([{ incidentId: incident?.incidentId }]);
    expect(s.notifier.sent.map((n) => [n.type, n.audience])).toEqual([
      ['incident.raised', 'customs-officer'],
      ['incident.raised', 'border'],
      ['incident.raised', 'port-operator'],
    ]);
  });

  it('treats the same alert again (a stream retry) as the same incident: nothing new, the workflow start repeated', async () => {
    const s = setup();
    const sink = incidentRaisingAlertSink(s.deps);
    await sink.alert(alert());
    await sink.alert(alert());

    expect(s.store.incidents.size).toBe(1);
    expect([...s.store.incidents.values()][0]?.duplicates).toBe(0);
    expect(s.notifier.sent).toHaveLength(3);
    expect(new Set(s.workflow.started.map((x) => x.incidentId)).size).toBe(1);
  });

  it('suppresses a repeated alarm on the same subject within the window, counting it once', async () => {
    const s = setup();
    const sink = incidentRaisingAlertSink(s.deps);
    await sink.alert(alert());
    s.advance(10);
    await sink.alert(alert({ alertId: 'AL-2' }));
    await sink.alert(alert({ alertId: 'AL-2' }));

    expect(s.store.incidents.size).toBe(1);
    expect([...s.store.incidents.values()][0]?.duplicates).toBe(1);
    expect(s.notifier.sent).toHaveLength(3);
  });

  it('raises again after the window, and at once for another cause or subject', async () => {
    const s = setup();
    const sink = incidentRaisingAlertSink(s.deps);
    await sink.alert(alert());
    await sink.alert(alert({ alertId: 'AL-3', type: 'nii.anomaly' }));
    await sink.alert(alert({ alertId: 'AL-4', subject: { kind: 'container', id: 'TGHU7599330' } }));
    s.advance(61);
    await sink.alert(alert({ alertId: 'AL-5' }));

    expect(s.store.incidents.size).toBe(4);
  });

  it('raises nothing from alerts that are not joint-control causes', async () => {
    const s = setup();
    await incidentRaisingAlertSink(s.deps).alert(alert({ type: 'equipment.fault' }));
    expect(s.store.incidents.size).toBe(0);
  });

  it('completes a raise whose workflow start failed when the same cause comes again', async () => {
    const s = setup();
    const failing = { start: jest.fn().mockRejectedValueOnce(new Error('throttled')) };
    const deps = { ...s.deps, workflow: failing };
    const request: RaiseRequest = {
      type: 'manual',
      port: 'CNSGH',
      subject: { kind: 'truck', id: 'HU1234' },
      summary: 'by hand',
      source: { kind: 'manual', id: 'req-1' },
      raisedBy: 'border',
      at: new Date(T0).toISOString(),
    };
    await expect(raiseIncident(deps, request)).rejects.toThrow('throttled');
    const again = await raiseIncident(deps, { ...request, source: { kind: 'manual', id: 'req-2' } });

    expect(again.raised).toBe(false);
    expect(failing.start).toHaveBeenLastCalledWith({ incidentId: again.incident.incidentId });
  });

  it('calls the lodgement hook with the stored declaration; a red lane at or above the score raises one', async () => {
    const s = setup();
    const hook = jest.fn(async () => {});
    const res = await lodgeDeclaration(
      { ...s.declarations, onAssessed: hook },
      { sub: 'd', roles: ['declarant'] },
      DeclarationInput.parse(OPEN_DECLARATION),
    );
    const stored = await s.declarationStore.get(res.id);
    expect(hook).toHaveBeenCalledWith(stored);
    if (stored === undefined) throw new Error('not stored');

    const red = (score: number) => ({ ...stored, assessment: { ...stored.assessment, lane: 'red' as const, score } });
    await redLaneIncidentHook(s.deps, 80)(red(79));
    expect(s.store.incidents.size).toBe(0);
    await redLaneIncidentHook(s.deps, 80)(red(85));
    await redLaneIncidentHook(s.deps, 80)(red(85));
    expect([...s.store.incidents.values()]).toEqual([
      expect.objectContaining({
        type: 'red-lane-declaration',
        subject: { kind: 'declaration', id: res.id },
        containers: stored.containers,
        agencies: ['customs', 'port-operator'],
      }),
    ]);
  });
});

describe('agency tasks', () => {
  it('plans, dispatches with a stored token and notifies the agency that acts', async () => {
    const s = setup();
    const incident = await raisedAndDispatched(s);

    expect(incident.tasks.map((t) => [t.taskId, t.status, t.attempt])).toEqual([
      ['customs', 'dispatched', 1],
      ['border', 'dispatched', 1],
      ['port-operator', 'dispatched', 1],
    ]);
    expect(await s.store.getTaskToken(incident.incidentId, 'border')).toEqual({
      taskToken: 'tok-border-1',
      attempt: 1,
    });
    expect(s.notifier.sent.filter((n) => n.type === 'task.dispatched').map((n) => n.audience)).toEqual([
      'customs-officer',
      'border',
      'port-operator',
    ]);
    expect(JSON.stringify(incident)).not.toContain('tok-');
  });

  it('dispatches once per attempt: a retried dispatch changes nothing and notifies nobody again', async () => {
    const s = setup();
    const incident = await raisedAndDispatched(s);
    const before = s.notifier.sent.length;
    await s.steps.run({
      step: 'dispatch',
      incidentId: incident.incidentId,
      taskId: 'border',
      taskToken: 'tok-border-1',
      attempt: 1,
    });

    expect((await getIncident(s.deps, incident.incidentId)).version).toBe(incident.version);
    expect(s.notifier.sent).toHaveLength(before);
  });

  it('acknowledges with a heartbeat on the stored token and records the response time', async () => {
    const s = setup();
    const { incidentId } = await raisedAndDispatched(s);
    s.advance(3);
    const after = await acknowledgeIncidentTask(s.deps, border, incidentId, 'border');

    expect(after.tasks.find((t) => t.taskId === 'border')?.status).toBe('acknowledged');
    // Raised at the alarm's observedAt (2 s before T0), acknowledged 3 minutes after T0.
    expect(after.responseTimes.firstAckMinutes).toBe(3.03);
    expect(s.callbacks.heartbeats).toEqual(['tok-border-1']);
  });

  it('refuses another agency’s task with 403 FORBIDDEN and changes nothing', async () => {
    const s = setup();
    const incident = await raisedAndDispatched(s);
    await expect(
      completeIncidentTask(s.deps, customs, incident.incidentId, 'border', { outcome: 'cleared' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await getIncident(s.deps, incident.incidentId)).toEqual(incident);
    expect(s.callbacks.successes).toEqual([]);
  });

  it('completes once: the same completion again has no second effect, another outcome is a conflict', async () => {
    const s = setup();
    const { incidentId } = await raisedAndDispatched(s);
    const first = await completeIncidentTask(s.deps, border, incidentId, 'border', {
      outcome: 'no-finding',
      findings: 'driver and papers in order',
    });
    const again = await completeIncidentTask(s.deps, border, incidentId, 'border', {
      outcome: 'no-finding',
      findings: 'driver and papers in order',
    });

    expect(again).toEqual(first);
    expect(s.callbacks.successes[0]).toEqual({
      token: 'tok-border-1',
      completion: { taskId: 'border', outcome: 'no-finding', findings: 'driver and papers in order' },
    });
    await expect(
      completeIncidentTask(s.deps, border, incidentId, 'border', { outcome: 'seized' }),
    ).rejects.toMatchObject({ code: 'TASK_ALREADY_COMPLETED' });
    expect(await getIncident(s.deps, incidentId)).toEqual(first);
  });

  it('keeps the completion when the workflow no longer waits for it (the task timed out meanwhile)', async () => {
    const s = setup();
    const { incidentId } = await raisedAndDispatched(s);
    s.callbacks.gone = true;
    const after = await completeIncidentTask(s.deps, border, incidentId, 'border', { outcome: 'cleared' });
    expect(after.tasks.find((t) => t.taskId === 'border')?.status).toBe('completed');
  });

  it('escalates to the supervisor, re-dispatches with a new token, then marks the task overdue', async () => {
    const s = setup();
    const { incidentId } = await raisedAndDispatched(s);
    await s.steps.run({ step: 'escalate', incidentId, taskId: 'port-operator' });
    await s.steps.run({ step: 'escalate', incidentId, taskId: 'port-operator' });
    await s.steps.run({ step: 'dispatch', incidentId, taskId: 'port-operator', taskToken: 'tok-po-2', attempt: 2 });
    await s.steps.run({ step: 'overdue', incidentId, taskId: 'port-operator' });

    const task = (await getIncident(s.deps, incidentId)).tasks.find((t) => t.taskId === 'port-operator');
    expect(task).toMatchObject({ status: 'overdue', escalated: true, attempt: 2 });
    expect(await s.store.getTaskToken(incidentId, 'port-operator')).toEqual({ taskToken: 'tok-po-2', attempt: 2 });
    expect(s.notifier.sent.filter((n) => n.taskId === 'port-operator').map((n) => [n.type, n.audience])).toEqual([
      ['task.dispatched', 'port-operator'],
      ['task.escalated', 'port-operator:supervisor'],
      ['task.dispatched', 'port-operator'],
      ['task.overdue', 'port-operator:supervisor'],
    ]);
  });

  it('answers the re-dispatch of a task completed after its first timeout, so the workflow does not wait again', async () => {
    const s = setup();
    const steps = createIncidentSteps({
      store: s.store,
      notifier: s.notifier,
      declarations: s.declarationStore,
      callbacks: s.callbacks,
    });
    const { incidentId } = await raisedAndDispatched(s);
    await steps.run({ step: 'escalate', incidentId, taskId: 'border' });
    s.callbacks.gone = true; // the first token timed out
    await completeIncidentTask(s.deps, border, incidentId, 'border', { outcome: 'finding', findings: 'false papers' });
    s.callbacks.gone = false;
    await steps.run({ step: 'dispatch', incidentId, taskId: 'border', taskToken: 'tok-border-2', attempt: 2 });

    expect(s.callbacks.successes).toEqual([
      { token: 'tok-border-2', completion: { taskId: 'border', outcome: 'finding', findings: 'false papers' } },
    ]);
  });

  it('lists a port’s incidents by status, newest first, without timeline or evidence', async () => {
    const s = setup();
    await raisedAndDispatched(s);
    s.advance(1);
    await raisedAndDispatched(s, alert({ alertId: 'AL-7', subject: { kind: 'truck', id: 'HU9' } }));
    const page = await listIncidents(s.deps, { limit: 10, status: 'open' });

    expect(page.items.map((i) => i.subject.id)).toEqual(['HU9', 'CSQU3054383']);
    expect(page.items[0]).not.toHaveProperty('timeline');
    expect((await listIncidents(s.deps, { limit: 10, status: 'closed' })).items).toEqual([]);
  });
});

describe('close and the closed loop', () => {
  async function lodgedOnContainer(s: ReturnType<typeof setup>) {
    const res = await lodgeDeclaration(
      s.declarations,
      { sub: 'trader', roles: ['declarant'] },
      DeclarationInput.parse(OPEN_DECLARATION),
    );
    return res.id;
  }

  it('closes seized, holds the related declaration as joint-control in its chained log, counts the hit once', async () => {
    const s = setup();
    const declId = await lodgedOnContainer(s);
    const { incidentId } = await raisedAndDispatched(s);
    await completeIncidentTask(s.deps, customs, incidentId, 'customs', { outcome: 'seized', findings: 'Cs-137' });
    await completeIncidentTask(s.deps, border, incidentId, 'border', { outcome: 'no-finding' });
    const endings = [
      { taskId: 'customs', ended: 'completed' as const },
      { taskId: 'border', ended: 'completed' as const },
      { taskId: 'port-operator', ended: 'overdue' as const },
    ];

    const result = await s.steps.run({ step: 'close', incidentId, tasks: endings });
    await s.steps.run({ step: 'close', incidentId, tasks: endings });

    expect(result).toEqual({ step: 'close', outcome: 'seized' });
    const incident = await getIncident(s.deps, incidentId);
    expect(incident).toMatchObject({ status: 'closed', outcome: 'seized' });
    expect(incident.feedback).toEqual({
      declarations: [{ declarationId: declId, action: 'hold', result: 'applied' }],
      hitsCounted: true,
    });
    const decl = await s.declarationStore.get(declId);
    expect(decl?.status).toBe('held');
    const log = await s.declarationStore.readLog(declId);
    expect(log.filter((e) => e.details?.incidentId === incidentId)).toEqual([
      expect.objectContaining({ action: 'hold', actor: { sub: 'joint-control', role: 'system' } }),
    ]);
    expect(
      verifyChain(log, { declarationId: declId, headSeq: decl?.logHead.seq, headHash: decl?.logHead.hash }),
    ).toEqual({ verified: true });
    const counted = [...s.hits.selection.values()].reduce((n, c) => n + c.inspections, 0);
    expect(counted).toBe(1);
    expect(s.notifier.sent.filter((n) => n.type === 'incident.closed')).toHaveLength(3);
  });

  it('closes cleared and releases the declaration in control when customs cleared it', async () => {
    const s = setup();
    const declId = await lodgedOnContainer(s);
    const { incidentId } = await raisedAndDispatched(s);
    await completeIncidentTask(s.deps, customs, incidentId, 'customs', { outcome: 'cleared', findings: 'NORM' });

    await s.steps.run({
      step: 'close',
      incidentId,
      tasks: [
        { taskId: 'customs', ended: 'completed' },
        { taskId: 'border', ended: 'completed', completion: { taskId: 'border', outcome: 'no-finding' } },
        { taskId: 'port-operator', ended: 'failed', error: 'States.TaskFailed' },
      ],
    });

    const incident = await getIncident(s.deps, incidentId);
    expect(incident.outcome).toBe('cleared');
    expect(incident.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'failed']);
    expect((await s.declarationStore.get(declId))?.status).toBe('released');
  });
});

describe('through the router', () => {
  const reader = {} as PortReader;

  it('answers malformed completion bodies 400 and changes nothing; no response carries a token', async () => {
    const s = setup();
    const { incidentId } = await raisedAndDispatched(s);
    // The incident routes use only their own dependencies.
    const deps = { reader, declarations: s.declarations, incidents: s.deps } as unknown as ApiDependencies;
    const route = createRouter(ROUTES, deps, (e) => {
      throw e;
    });
    const call = (path: string, body?: string, method = 'POST') =>
      route({
        method,
        path,
        query: {},
        headers: {},
        body,
        requestId: 'r',
        caller: { sub: 'officer-b', roles: ['border'] },
      });
    const url = `/v1/incidents/${incidentId}/tasks/border/complete`;
    const before = await getIncident(s.deps, incidentId);

    for (const body of [
      undefined,
      '',
      'not json',
      '{}',
      '{"outcome":"burnt"}',
      '{"outcome":"cleared","findings":""}',
      '{"outcome":"cleared","taskToken":"x"}',
      '{"outcome":"cleared","findings":"x\\u0000"}',
      '[]',
    ]) {
      const res = await call(url, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(await getIncident(s.deps, incidentId)).toEqual(before);
    expect(s.callbacks.successes).toEqual([]);

    const ok = await call(url, '{"outcome":"cleared","findings":"all in order"}');
    expect(ok.status).toBe(200);
    const got = await call(`/v1/incidents/${incidentId}`, undefined, 'GET');
    const list = await call('/v1/incidents', undefined, 'GET');
    for (const res of [ok, got, list]) expect(JSON.stringify(res.body)).not.toMatch(/tok-|taskToken/);
  });
});
