import fc from 'fast-check';
import type { IncidentTask, TaskOutcome } from '../../events/v1/incidents';
import { AGENCY_PLANS, agenciesFor, roleForAgency } from '../../shared/domain/incidents/agency-plan';
import { declarationFeedback } from '../../shared/domain/incidents/feedback';
import {
  acknowledgeTask,
  closeIncident,
  completeTask,
  consolidate,
  dedupeKeyOf,
  dispatchTask,
  escalateTask,
  failTask,
  incidentIdFor,
  markTaskOverdue,
  newIncident,
  outcomeOfTask,
  planTasks,
  type RaiseRequest,
} from '../../shared/domain/incidents/incident';
import { raiseRequestOfAlert, raiseRequestOfDeclaration } from '../../shared/domain/incidents/raise-from';
import type { Alert } from '../../shared/domain/model';

const T0 = '2026-11-26T08:00:00.000Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

const raise = (over: Partial<RaiseRequest> = {}): RaiseRequest => ({
  type: 'radiation-alarm',
  port: 'CNSGH',
  subject: { kind: 'container', id: 'CSQU3054383' },
  summary: 'radiation alarm',
  source: { kind: 'alert', id: 'AL-1' },
  raisedBy: 'joint-control',
  at: T0,
  ...over,
});

const planned = () => planTasks(newIncident('INC-1', raise()), T0).incident;
const dispatched = () => {
  let i = planned();
  for (const t of i.agencies) i = dispatchTask(i, t, 1, at(1)).incident;
  return i;
};

describe('agency plans', () => {
  it('plans radiation for customs, border and the port operator’s safety officer', () => {
    const i = planned();
    expect(i.tasks.map((t) => [t.taskId, t.role, t.status])).toEqual([
      ['customs', 'customs-officer', 'pending'],
      ['border', 'border', 'pending'],
      ['port-operator', 'port-operator', 'pending'],
    ]);
    expect(i.tasks[0]?.dueAt).toBe(at(30)); // the state machine's callback timeout
  });

  it('plans a vessel gone dark for maritime and border, and biosecurity for quarantine and customs', () => {
    expect(AGENCY_PLANS['vessel-dark'].agencies).toEqual(['maritime', 'border']);
    expect(AGENCY_PLANS['biosecurity-risk'].agencies).toEqual(['quarantine', 'customs']);
  });

  it('has every agency of a plan described, and a role for every agency', () => {
    for (const plan of Object.values(AGENCY_PLANS)) {
      for (const a of plan.agencies) expect(plan.duties[a]).toEqual(expect.any(String));
    }
    expect(roleForAgency('customs')).toBe('customs-officer');
    expect(roleForAgency('maritime')).toBe('maritime');
  });

  it('adds the agencies a raiser names; a manual raise naming agencies uses only those', () => {
    expect(agenciesFor('xray-anomaly', ['quarantine'])).toEqual(['customs', 'border', 'quarantine']);
    expect(agenciesFor('manual', ['border', 'maritime'])).toEqual(['border', 'maritime']);
    expect(agenciesFor('manual')).toEqual(['customs']);
  });

  it('plans once: planning again changes nothing', () => {
    const i = planned();
    expect(planTasks(i, at(5))).toEqual({ incident: i, changed: false });
  });
});

describe('identity and dedupe', () => {
  it('derives the incident id from the source, so a retried alert names the same incident', () => {
    expect(incidentIdFor({ kind: 'alert', id: 'AL-1' })).toBe(incidentIdFor({ kind: 'alert', id: 'AL-1' }));
    expect(incidentIdFor({ kind: 'alert', id: 'AL-1' })).not.toBe(incidentIdFor({ kind: 'alert', id: 'AL-2' }));
    expect(incidentIdFor({ kind: 'alert', id: 'AL-1' })).toMatch(/^INC-[0-9a-f]{24}$/);
  });

  it('keys dedupe on port, cause and subject', () => {
    expect(dedupeKeyOf(raise())).toBe('CNSGH#radiation-alarm#container#CSQU3054383');
    expect(dedupeKeyOf(raise({ type: 'xray-anomaly' }))).not.toBe(dedupeKeyOf(raise()));
  });
});

describe('task transitions', () => {
  it('dispatches, acknowledges and completes; the first acknowledgement sets the response time', () => {
    let i = dispatched();
    expect(i.tasks.every((t) => t.status === 'dispatched' && t.attempt === 1)).toBe(true);
    i = acknowledgeTask(i, 'border', at(4), 'border').incident;
    i = acknowledgeTask(i, 'customs', at(9), 'customs-officer').incident;
    expect(i.responseTimes).toEqual({ firstAckAt: at(4), firstAckMinutes: 4 });
    i = completeTask(
      i,
      'customs',
      { outcome: 'cleared', findings: 'NORM: ceramics' },
      at(20),
      'customs-officer',
    ).incident;
    expect(i.tasks.find((t) => t.taskId === 'customs')).toMatchObject({
      status: 'completed',
      outcome: 'cleared',
      findings: 'NORM: ceramics',
      completedAt: at(20),
    });
  });

  it('takes the same completion twice as one, and refuses another outcome after it', () => {
    const i = completeTask(dispatched(), 'border', { outcome: 'no-finding' }, at(5), 'border').incident;
    expect(completeTask(i, 'border', { outcome: 'no-finding' }, at(6), 'border')).toEqual({
      incident: i,
      changed: false,
    });
    expect(() => completeTask(i, 'border', { outcome: 'seized' }, at(6), 'border')).toThrow(
      expect.objectContaining({ code: 'TASK_ALREADY_COMPLETED' }),
    );
  });

  it('refuses acting on a task not yet dispatched, overdue or of a closed incident', () => {
    expect(() => acknowledgeTask(planned(), 'border', at(1), 'border')).toThrow(
      expect.objectContaining({ code: 'TASK_NOT_DISPATCHED' }),
    );
    const overdue = markTaskOverdue(dispatched(), 'border', at(60)).incident;
    expect(() => completeTask(overdue, 'border', { outcome: 'cleared' }, at(61), 'border')).toThrow(
      expect.objectContaining({ code: 'TASK_CLOSED' }),
    );
    expect(() => acknowledgeTask(planned(), 'nobody', at(1), 'border')).toThrow(
      expect.objectContaining({ code: 'TASK_NOT_FOUND' }),
    );
  });

  it('escalates once, re-dispatches as attempt 2 with a new due time, then goes overdue', () => {
    let i = dispatched();
    i = escalateTask(i, 'border', at(31)).incident;
    expect(escalateTask(i, 'border', at(32)).changed).toBe(false);
    i = dispatchTask(i, 'border', 2, at(31)).incident;
    expect(i.tasks.find((t) => t.taskId === 'border')).toMatchObject({
      escalated: true,
      attempt: 2,
      dueAt: at(61),
      status: 'dispatched',
    });
    expect(dispatchTask(i, 'border', 1, at(40)).changed).toBe(false); // a late retry of attempt 1
    i = markTaskOverdue(i, 'border', at(61)).incident;
    expect(i.tasks.find((t) => t.taskId === 'border')?.status).toBe('overdue');
  });

  it('leaves a completed task completed when the workflow says it timed out or failed', () => {
    const i = completeTask(dispatched(), 'border', { outcome: 'cleared' }, at(5), 'border').incident;
    expect(markTaskOverdue(i, 'border', at(60)).changed).toBe(false);
    expect(failTask(i, 'border', 'boom', at(60)).changed).toBe(false);
    expect(escalateTask(i, 'border', at(60)).changed).toBe(false);
  });
});

describe('consolidation', () => {
  const task = (status: IncidentTask['status'], outcome?: TaskOutcome): IncidentTask => ({
    taskId: 'x',
    agency: 'customs',
    role: 'customs-officer',
    status,
    dueAt: T0,
    escalated: false,
    attempt: 1,
    ...(outcome ? { outcome } : {}),
  });

  it('takes the strictest completed outcome; nobody answering is referred', () => {
    expect(consolidate([task('completed', 'cleared'), task('completed', 'no-finding')])).toBe('cleared');
    expect(consolidate([task('completed', 'cleared'), task('completed', 'finding')])).toBe('referred');
    expect(consolidate([task('completed', 'referred'), task('completed', 'seized')])).toBe('seized');
    expect(consolidate([task('completed', 'cleared'), task('overdue')])).toBe('cleared');
    expect(consolidate([task('overdue'), task('failed')])).toBe('referred');
    expect(consolidate([])).toBe('referred');
  });

  const outcomes = fc.constantFrom<TaskOutcome>('cleared', 'seized', 'referred', 'no-finding', 'finding');
  const tasks = fc.array(
    fc.oneof(
      outcomes.map((o) => task('completed', o)),
      fc.constantFrom(task('overdue'), task('failed'), task('dispatched')),
    ),
    { maxLength: 6 },
  );
  const rank = { cleared: 0, referred: 1, seized: 2 } as const;

  it('is seized exactly when some agency seized, and never milder than any completion (property)', () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        const out = consolidate(ts);
        expect(out === 'seized').toBe(ts.some((t) => t.outcome === 'seized'));
        for (const t of ts) if (t.outcome) expect(rank[out]).toBeGreaterThanOrEqual(rank[outcomeOfTask(t.outcome)]);
      }),
    );
  });

  it('does not depend on the order of the tasks (property)', () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        expect(consolidate([...ts].reverse())).toBe(consolidate(ts));
      }),
    );
  });
});

describe('close', () => {
  it('fills in what the workflow reports, consolidates, records the time to close, and closes once', () => {
    let i = dispatched();
    i = completeTask(
      i,
      'customs',
      { outcome: 'seized', findings: 'Cs-137 source' },
      at(10),
      'customs-officer',
    ).incident;
    const { incident: closed } = closeIncident(
      i,
      [
        { taskId: 'customs', ended: 'completed', completion: { outcome: 'cleared' } }, // the record wins
        { taskId: 'border', ended: 'completed', completion: { outcome: 'no-finding' } },
        { taskId: 'port-operator', ended: 'overdue' },
      ],
      at(90),
    );
    expect(closed).toMatchObject({ status: 'closed', outcome: 'seized', closedAt: at(90) });
    expect(closed.responseTimes.closedMinutes).toBe(90);
    expect(closed.tasks.map((t) => [t.taskId, t.status, t.outcome])).toEqual([
      ['customs', 'completed', 'seized'],
      ['border', 'completed', 'no-finding'],
      ['port-operator', 'overdue', undefined],
    ]);
    expect(closeIncident(closed, [], at(91)).changed).toBe(false);
  });
});

describe('feedback to declarations', () => {
  it('holds open declarations on seized or referred, leaves final ones alone', () => {
    expect(declarationFeedback('seized', { status: 'inspection', heldByJointControl: false }, false)).toEqual({
      action: 'hold',
      result: 'applied',
    });
    expect(declarationFeedback('referred', { status: 'held', heldByJointControl: false }, true).action).toBe('none');
    expect(declarationFeedback('seized', { status: 'released', heldByJointControl: false }, true).result).toBe('final');
  });

  it('releases on cleared only when customs cleared it, and never lifts an officer’s hold', () => {
    expect(declarationFeedback('cleared', { status: 'inspection', heldByJointControl: false }, true).action).toBe(
      'release',
    );
    expect(declarationFeedback('cleared', { status: 'inspection', heldByJointControl: false }, false).result).toBe(
      'not-cleared-by-customs',
    );
    expect(declarationFeedback('cleared', { status: 'held', heldByJointControl: true }, true).action).toBe('release');
    expect(declarationFeedback('cleared', { status: 'held', heldByJointControl: false }, true).result).toBe(
      'officer-hold',
    );
  });
});

describe('what raises incidents', () => {
  const alert = (over: Partial<Alert>): Alert => ({
    alertId: 'AL-9',
    port: 'CNSGH',
    type: 'rpm.alarm',
    severity: 'high',
    subject: { kind: 'container', id: 'CSQU3054383' },
    observedAt: T0,
    deviceId: 'rpm-01',
    evidence: { laneId: 'RPM-1', containers: ['CSQU3054383', 'MSCU1234566'] },
    ...over,
  });

  it('raises radiation, X-ray, dark-vessel and gate-misread incidents from alerts, nothing from others', () => {
    expect(raiseRequestOfAlert(alert({}))).toMatchObject({
      type: 'radiation-alarm',
      severity: 'high',
      source: { kind: 'alert', id: 'AL-9' },
      containers: ['CSQU3054383', 'MSCU1234566'],
    });
    expect(raiseRequestOfAlert(alert({ type: 'nii.anomaly' }))?.type).toBe('xray-anomaly');
    expect(raiseRequestOfAlert(alert({ type: 'ais.dark', subject: { kind: 'vessel', id: '477123456' } }))?.type).toBe(
      'vessel-dark',
    );
    expect(raiseRequestOfAlert(alert({ type: 'gate.container.invalid' }))).toMatchObject({
      type: 'gate-ocr-mismatch',
      containers: [],
    });
    expect(raiseRequestOfAlert(alert({ type: 'equipment.fault' }))).toBeUndefined();
    expect(raiseRequestOfAlert(alert({ type: 'gate.hold' }))).toBeUndefined();
  });

  const decl = (lane: string, score: number, hsCode = '850440') => ({
    id: 'd-1',
    port: 'CNSGH',
    containers: ['CSQU3054383'],
    items: [{ hsCode }],
    assessment: { lane, score, reasons: [{ code: 'RPM_ALARM' }] },
    logSeq: 2,
  });

  it('raises a red lane at or above the configured score; animals, plants and wood go to quarantine', () => {
    expect(raiseRequestOfDeclaration(decl('red', 79), 80, T0)).toBeUndefined();
    expect(raiseRequestOfDeclaration(decl('yellow', 95), 80, T0)).toBeUndefined();
    expect(raiseRequestOfDeclaration(decl('red', 80), 80, T0)).toMatchObject({
      type: 'red-lane-declaration',
      subject: { kind: 'declaration', id: 'd-1' },
      source: { kind: 'declaration', id: 'd-1.2' },
    });
    expect(raiseRequestOfDeclaration(decl('red', 90, '060290'), 80, T0)?.type).toBe('biosecurity-risk');
  });

  it('leaves a red lane that device evidence caused to the incident that evidence raised', () => {
    const byEvidence = decl('red', 95);
    const reasons = [{ code: 'RPM_ALARM', lane: 'red', evidenceIds: ['AL-1'] }];
    expect(
      raiseRequestOfDeclaration({ ...byEvidence, assessment: { ...byEvidence.assessment, reasons } }, 80, T0),
    ).toBeUndefined();
  });
});

describe('task transitions under any order of events (property)', () => {
  type Op =
    | { kind: 'dispatch'; attempt: number }
    | { kind: 'ack' }
    | { kind: 'complete'; outcome: TaskOutcome }
    | { kind: 'escalate' }
    | { kind: 'overdue' }
    | { kind: 'fail' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.integer({ min: 1, max: 2 }).map((attempt) => ({ kind: 'dispatch' as const, attempt })),
    fc.constant({ kind: 'ack' as const }),
    fc
      .constantFrom<TaskOutcome>('cleared', 'seized', 'referred', 'no-finding', 'finding')
      .map((outcome) => ({ kind: 'complete' as const, outcome })),
    fc.constant({ kind: 'escalate' as const }),
    fc.constant({ kind: 'overdue' as const }),
    fc.constant({ kind: 'fail' as const }),
  );

  it('never leaves a final status, never forgets the first completion or first acknowledgement', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        let i = planned();
        ops.forEach((o, n) => {
          const when = at(n + 1);
          const before = i.tasks.find((t) => t.taskId === 'border');
          const firstAck = i.responseTimes.firstAckAt;
          try {
            if (o.kind === 'dispatch') i = dispatchTask(i, 'border', o.attempt, when).incident;
            if (o.kind === 'ack') i = acknowledgeTask(i, 'border', when, 'border').incident;
            if (o.kind === 'complete') i = completeTask(i, 'border', { outcome: o.outcome }, when, 'border').incident;
            if (o.kind === 'escalate') i = escalateTask(i, 'border', when).incident;
            if (o.kind === 'overdue') i = markTaskOverdue(i, 'border', when).incident;
            if (o.kind === 'fail') i = failTask(i, 'border', 'boom', when).incident;
          } catch (e) {
            expect((e as { code?: string }).code).toMatch(/^TASK_/);
          }
          const after = i.tasks.find((t) => t.taskId === 'border');
          if (before && ['completed', 'overdue', 'failed'].includes(before.status)) expect(after).toEqual(before);
          expect(after?.attempt ?? 0).toBeGreaterThanOrEqual(before?.attempt ?? 0);
          if (firstAck !== undefined) expect(i.responseTimes.firstAckAt).toBe(firstAck);
        });
      }),
    );
  });
});
