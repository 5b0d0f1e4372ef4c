import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createStepHandler } from '../../functions/incident-workflow/step-handler';
import { type LocalJointControl, startLocalJointControl } from '../../local/step-functions/joint-control';
import { SfnTaskCallbacks } from '../../shared/adapters/stepfunctions/sfn-task-callbacks';
import { SfnWorkflowStarter } from '../../shared/adapters/stepfunctions/sfn-workflow-starter';
import { TaskCallbackGoneError } from '../../shared/domain/task-callback-errors';
import type {
  IncidentStepRequest,
  IncidentStepResult,
  IncidentSteps,
  PlannedTask,
  TaskEnding,
} from '../../shared/ports/incident-workflow';

/**
 * The committed joint-control definition in the local runner, driven through the real SFN adapters and SDK client
 * against the local Step Functions endpoint, with in-memory incident steps. Time scale 1000: the dev stage's
 * 900 s heartbeat is 0.9 s, its 1800 s task timeout 1.8 s.
 */
const TIME_SCALE = 1000;
const HEARTBEAT_MS = 900;

type Dispatch = Extract<IncidentStepRequest, { step: 'dispatch' }>;

/** In-memory incident steps: plans the tasks a test asks for, keeps the dispatched tokens, records every call. */
class FakeSteps implements IncidentSteps {
  readonly calls: IncidentStepRequest[] = [];
  readonly plans = new Map<string, PlannedTask['agency'][]>();
  /** Steps that throw (incidentId/step), to drive the failure paths. */
  readonly failing = new Set<string>();
  private readonly dispatched = new Map<string, Dispatch[]>();
  private readonly waiters = new Map<string, ((d: Dispatch) => void)[]>();

  async run(request: IncidentStepRequest): Promise<IncidentStepResult> {
    this.calls.push(request);
    if (this.failing.has(`${request.incidentId}/${request.step}`)) throw new Error(`${request.step} is broken`);
    switch (request.step) {
      case 'plan':
        return {
          step: 'plan',
          tasks: (this.plans.get(request.incidentId) ?? []).map((agency) => ({
            incidentId: request.incidentId,
            taskId: agency,
            agency,
            dueInSeconds: 1800,
          })),
        };
      case 'dispatch': {
        const key = `${request.incidentId}/${request.taskId}`;
        this.dispatched.set(key, [...(this.dispatched.get(key) ?? []), request]);
        for (const w of this.waiters.get(key) ?? []) w(request);
        this.waiters.delete(key);
        return { step: 'dispatch', taskId: request.taskId };
      }
      case 'close':
        return { step: 'close', outcome: 'cleared' };
      default:
        return { step: request.step, taskId: request.taskId };
    }
  }

  /** The dispatch of a task's `attempt` (1 or 2), as soon as it happens. */
  dispatch(incidentId: string, taskId: string, attempt = 1): Promise<Dispatch> {
    const key = `${incidentId}/${taskId}`;
    const done = (this.dispatched.get(key) ?? []).find((d) => d.attempt === attempt);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const waiter = (d: Dispatch) => (d.attempt === attempt ? resolve(d) : this.waitAgain(key, waiter));
      this.waitAgain(key, waiter);
    });
  }

  private waitAgain(key: string, waiter: (d: Dispatch) => void) {
    this.waiters.set(key, [...(this.waiters.get(key) ?? []), waiter]);
  }

  stepsOf(incidentId: string) {
    return this.calls.filter((c) => c.incidentId === incidentId);
  }

  closeOf(incidentId: string): TaskEnding[] | undefined {
    const close = this.stepsOf(incidentId).find((c) => c.step === 'close');
    return close?.step === 'close' ? close.tasks : undefined;
  }
}

let steps: FakeSteps;
let local: LocalJointControl;
let client: SFNClient;
let starter: SfnWorkflowStarter;
let callbacks: SfnTaskCallbacks;

beforeAll(async () => {
  steps = new FakeSteps();
  local = await startLocalJointControl({ invoke: createStepHandler(steps), timeScale: TIME_SCALE });
  client = new SFNClient({
    endpoint: local.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  starter = new SfnWorkflowStarter(client, local.stateMachineArn);
  callbacks = new SfnTaskCallbacks(client);
});

afterAll(async () => {
  client.destroy();
  await local.stop();
});

const executionArn = (incidentId: string) =>
  `${local.stateMachineArn.replace(':stateMachine:', ':execution:')}:${incidentId}`;

async function finished(incidentId: string) {
  const execution = local.runtime.describeExecution(executionArn(incidentId));
  await execution.done;
  return execution;
}

const endingOf = (incidentId: string, taskId: string) => steps.closeOf(incidentId)?.find((e) => e.taskId === taskId);

describe('joint-control workflow in the local runner', () => {
  it('dispatches every agency at once and closes with every completion when all complete', async () => {
    steps.plans.set('INC-all', ['customs', 'border', 'port-operator']);
    await starter.start({ incidentId: 'INC-all' });

    const dispatches = await Promise.all(
      ['customs', 'border', 'port-operator'].map((t) => steps.dispatch('INC-all', t)),
    );
    // Three distinct tokens, each the runner's own, never the placeholder of `$$.Task.Token`.
    expect(new Set(dispatches.map((d) => d.taskToken)).size).toBe(3);
    for (const d of dispatches) {
      await callbacks.heartbeat(d.taskToken);
      await callbacks.succeed(d.taskToken, {
        taskId: d.taskId,
        outcome: 'no-finding',
        findings: `${d.taskId} saw nothing`,
      });
    }

    const execution = await finished('INC-all');
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
      incidentId: 'INC-all',
      close: { outcome: 'cleared' },
    });
    expect(steps.closeOf('INC-all')).toEqual(
      expect.arrayContaining(
        dispatches.map((d) => ({
          taskId: d.taskId,
          ended: 'completed',
          completion: { taskId: d.taskId, outcome: 'no-finding', findings: `${d.taskId} saw nothing` },
        })),
      ),
    );
    expect(steps.stepsOf('INC-all').map((c) => c.step)).not.toContain('escalate');
    // Through the DescribeExecution call of the local endpoint, as a client sees it.
    const described = await client.send(new DescribeExecutionCommand({ executionArn: executionArn('INC-all') }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.name).toBe('INC-all');
  });

  it('escalates a silent task, dispatches it again, and completes it on the second attempt', async () => {
    steps.plans.set('INC-late', ['customs', 'border']);
    await starter.start({ incidentId: 'INC-late' });
    const customs = await steps.dispatch('INC-late', 'customs');
    await callbacks.succeed(customs.taskToken, { taskId: 'customs', outcome: 'finding', findings: 'seal broken' });

    // Border stays silent past the heartbeat: escalated, then dispatched once more with a new token.
    const second = await steps.dispatch('INC-late', 'border', 2);
    const first = await steps.dispatch('INC-late', 'border', 1);
    expect(second.taskToken).not.toBe(first.taskToken);
    const escalation = steps.stepsOf('INC-late').find((c) => c.step === 'escalate');
    expect(escalation).toEqual({ step: 'escalate', incidentId: 'INC-late', taskId: 'border' });
    // The first token is closed: an answer on it is refused with a typed error, not lost silently.
    await expect(callbacks.succeed(first.taskToken, { taskId: 'border', outcome: 'cleared' })).rejects.toEqual(
      expect.objectContaining({ code: 'TASK_NO_LONGER_OPEN', reason: 'timed-out' }),
    );
    await callbacks.succeed(second.taskToken, { taskId: 'border', outcome: 'cleared' });

    const execution = await finished('INC-late');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered).toEqual(expect.arrayContaining(['Escalate', 'Redispatch']));
    expect(endingOf('INC-late', 'border')).toEqual({
      taskId: 'border',
      ended: 'completed',
      completion: { taskId: 'border', outcome: 'cleared' },
    });
    expect(endingOf('INC-late', 'customs')?.ended).toBe('completed');
  });

  it('marks a task overdue after two silent windows, and the incident still closes', async () => {
    steps.plans.set('INC-silent', ['maritime', 'border']);
    const started = Date.now();
    await starter.start({ incidentId: 'INC-silent' });
    const border = await steps.dispatch('INC-silent', 'border');
    await callbacks.succeed(border.taskToken, { taskId: 'border', outcome: 'no-finding' });

    const execution = await finished('INC-silent');
    expect(execution.status).toBe('SUCCEEDED');
    // Two heartbeat windows at least (the time scale applies to the heartbeat as to the timeout).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * HEARTBEAT_MS - 50);
    expect(steps.stepsOf('INC-silent').map((c) => `${c.step}${'taskId' in c ? `:${c.taskId}` : ''}`)).toEqual(
      expect.arrayContaining(['escalate:maritime', 'overdue:maritime', 'close']),
    );
    expect(endingOf('INC-silent', 'maritime')).toEqual({ taskId: 'maritime', ended: 'overdue' });
    expect(endingOf('INC-silent', 'border')?.ended).toBe('completed');
  });

  it('keeps a task alive while the agency sends heartbeats, until the task timeout', async () => {
    steps.plans.set('INC-busy', ['quarantine']);
    await starter.start({ incidentId: 'INC-busy' });
    const first = await steps.dispatch('INC-busy', 'quarantine');
    const started = Date.now();
    // Heartbeats every 0.15 s (a sixth of the heartbeat window) for longer than the heartbeat window.
    while (Date.now() - started < 1.4 * HEARTBEAT_MS) {
      await callbacks.heartbeat(first.taskToken);
      await new Promise((r) => setTimeout(r, HEARTBEAT_MS / 6));
    }
    expect(steps.stepsOf('INC-busy').map((c) => c.step)).not.toContain('escalate');
    const second = await steps.dispatch('INC-busy', 'quarantine', 2);
    await callbacks.fail(second.taskToken, 'TaskRejected', 'the quarantine officer cannot attend');
    const execution = await finished('INC-busy');
    expect(execution.status).toBe('SUCCEEDED');
  });

  it('ends a task the agency fails (SendTaskFailure) through fail-task, and still closes', async () => {
    steps.plans.set('INC-fail', ['customs', 'quarantine']);
    await starter.start({ incidentId: 'INC-fail' });
    const [customs, quarantine] = await Promise.all([
      steps.dispatch('INC-fail', 'customs'),
      steps.dispatch('INC-fail', 'quarantine'),
    ]);
    await callbacks.fail(quarantine.taskToken, 'TaskRejected', 'no phytosanitary inspector on shift');
    await callbacks.succeed(customs.taskToken, { taskId: 'customs', outcome: 'seized' });

    const execution = await finished('INC-fail');
    expect(execution.status).toBe('SUCCEEDED');
    expect(steps.stepsOf('INC-fail')).toContainEqual({
      step: 'fail-task',
      incidentId: 'INC-fail',
      taskId: 'quarantine',
      error: 'TaskRejected',
    });
    expect(endingOf('INC-fail', 'quarantine')).toEqual({
      taskId: 'quarantine',
      ended: 'failed',
      error: 'TaskRejected',
    });
    expect(steps.stepsOf('INC-fail').filter((c) => c.step === 'dispatch' && c.taskId === 'quarantine')).toHaveLength(1);
    // A second answer on a finished task: refused, typed.
    await expect(callbacks.fail(quarantine.taskToken, 'TaskRejected', 'again')).rejects.toBeInstanceOf(
      TaskCallbackGoneError,
    );
  });

  it('treats a second StartExecution for the same incident as a no-op, running or finished', async () => {
    steps.plans.set('INC-dup', ['border']);
    await starter.start({ incidentId: 'INC-dup' });
    await starter.start({ incidentId: 'INC-dup' });
    const border = await steps.dispatch('INC-dup', 'border');
    await callbacks.succeed(border.taskToken, { taskId: 'border', outcome: 'no-finding' });
    await finished('INC-dup');
    await starter.start({ incidentId: 'INC-dup' });

    expect(local.runtime.list().filter((e) => e.name === 'INC-dup')).toHaveLength(1);
    expect(steps.stepsOf('INC-dup').filter((c) => c.step === 'plan')).toHaveLength(1);
    expect(steps.stepsOf('INC-dup').filter((c) => c.step === 'close')).toHaveLength(1);
  });

  it('retries a failing step, then closes the incident without findings and fails the execution (alarmed)', async () => {
    steps.plans.set('INC-noplan', ['customs']);
    steps.failing.add('INC-noplan/plan');
    await starter.start({ incidentId: 'INC-noplan' });

    const execution = await finished('INC-noplan');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('JointControl.ClosedAfterFailure');
    // The Lambda-error retrier: the first run and three retries.
    expect(steps.stepsOf('INC-noplan').filter((c) => c.step === 'plan')).toHaveLength(4);
    expect(steps.closeOf('INC-noplan')).toEqual([]);
  });

  it('fails the execution as CloseFailed when the incident cannot be closed', async () => {
    steps.plans.set('INC-noclose', []);
    steps.failing.add('INC-noclose/close');
    await starter.start({ incidentId: 'INC-noclose' });
    const execution = await finished('INC-noclose');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('JointControl.CloseFailed');
  });

  it('ends a task whose dispatch keeps failing as failed, without waiting for a callback', async () => {
    steps.plans.set('INC-nodispatch', ['maritime']);
    steps.failing.add('INC-nodispatch/dispatch');
    await starter.start({ incidentId: 'INC-nodispatch' });
    const execution = await finished('INC-nodispatch');
    expect(execution.status).toBe('SUCCEEDED');
    expect(endingOf('INC-nodispatch', 'maritime')).toEqual({ taskId: 'maritime', ended: 'failed', error: 'Error' });
    expect(local.runtime.tokens.pending).toBe(0);
  });

  it('refuses a token it never issued, and a malformed one, with typed errors', async () => {
    await expect(callbacks.heartbeat('not-a-token')).rejects.toEqual(
      expect.objectContaining({ code: 'TASK_NO_LONGER_OPEN', reason: 'invalid-token' }),
    );
    await expect(callbacks.heartbeat('kouan-local-task-token:00000000-0000-0000-0000-000000000000')).rejects.toEqual(
      expect.objectContaining({ reason: 'not-found' }),
    );
  });
});
