import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { CALLBACK_TIMEOUT_ERRORS, JOINT_CONTROL_STATES } from '../../infra/constructs/joint-control-workflow';
import {
  JOINT_CONTROL_DOC_PATH,
  renderWorkflowSection,
  withWorkflowSection,
  workflowSectionOf,
} from '../../infra/workflows/generate-docs';
import {
  type AslDefinition,
  JOINT_CONTROL_ASL_PATH,
  renderJointControlAsl,
  renderJointControlDefinition,
} from '../../infra/workflows/render-definition';
import { JOINT_CONTROL_DEFINITION_FILE } from '../../local/step-functions/joint-control';
import { scaleDefinition } from '../../local/step-functions/time-scale';

type State = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
};

/** Every state of the definition, nested ones included, by name. */
function allStates(graph: { States: Record<string, State> }): [string, State][] {
  return Object.entries(graph.States).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor as { States: Record<string, State> }) : []),
  ]);
}

const definition = renderJointControlDefinition();
const states = allStates(definition as never);
const tasks = states.filter(([, s]) => s.Type === 'Task');
const isCallback = (s: State) => s.Resource?.endsWith(':lambda:invoke.waitForTaskToken') === true;

describe('joint-control definition: defined once', () => {
  it('is committed as rendered from the construct (run `npm run docs:workflow` after changing it)', () => {
    expect(readFileSync(JOINT_CONTROL_ASL_PATH, 'utf8')).toBe(renderJointControlAsl());
    // The local platform runs exactly that file.
    expect(JOINT_CONTROL_DEFINITION_FILE).toBe(JOINT_CONTROL_ASL_PATH);
  });

  it('renders the same text twice (nothing time- or order-dependent)', () => {
    expect(renderJointControlAsl()).toBe(renderJointControlAsl());
  });

  it('shows the committed definition in docs/joint-control.md, generated (the diagram cannot drift)', () => {
    const page = readFileSync(JOINT_CONTROL_DOC_PATH, 'utf8');
    expect(workflowSectionOf(page)).toBe(renderWorkflowSection());
    const section = renderWorkflowSection();
    expect(section).toContain('stateDiagram-v2');
    for (const name of Object.values(JOINT_CONTROL_STATES)) expect(section).toContain(name);
    expect(section).toContain('Dispatch --> Escalate: timeout / no heartbeat');
    expect(section).toContain('Redispatch --> MarkOverdue: timeout / no heartbeat');
  });

  it('replaces only its own section of the page, keeping what others wrote around it', () => {
    const page = `# Joint control\n\nIntro.\n\n${renderWorkflowSection().replace('Plan', 'Old')}\n\n## Agencies\n\nTable.\n`;
    const updated = withWorkflowSection(page);
    expect(updated.startsWith('# Joint control\n\nIntro.\n\n')).toBe(true);
    expect(updated.endsWith('\n\n## Agencies\n\nTable.\n')).toBe(true);
    expect(workflowSectionOf(updated)).toBe(renderWorkflowSection());
  });
});

describe('joint-control definition: what the issue asks of every state', () => {
  it('is valid ASL (asl-validator 4, paths and ARNs checked)', () => {
    // A copy: the validator fills in defaults (QueryLanguage) on the object it is given.
    const copy = JSON.parse(JSON.stringify(definition));
    const { isValid, errorsText } = aslValidator(copy, { checkPaths: true, checkArn: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('is JSONPath only: no JSONata, no QueryLanguage, no Assign, no Arguments/Output, anywhere', () => {
    const text = JSON.stringify(definition);
    for (const word of ['JSONata', 'QueryLanguage', '"Assign"', '"Arguments"', '"Output"', '{%'])
      expect(text).not.toContain(word);
  });

  it('gives every Task state a TimeoutSeconds', () => {
    expect(tasks.length).toBe(8);
    for (const [name, s] of tasks) expect([name, typeof s.TimeoutSeconds]).toEqual([name, 'number']);
  });

  it('gives every callback (.waitForTaskToken) a HeartbeatSeconds below its TimeoutSeconds, and no other task one', () => {
    const callbacks = tasks.filter(([, s]) => isCallback(s)).map(([n]) => n);
    expect(callbacks.sort()).toEqual([JOINT_CONTROL_STATES.dispatch, JOINT_CONTROL_STATES.redispatch].sort());
    for (const [name, s] of tasks) {
      if (!isCallback(s)) expect([name, s.HeartbeatSeconds]).toEqual([name, undefined]);
      else expect(s.HeartbeatSeconds as number).toBeLessThan(s.TimeoutSeconds as number);
    }
  });

  it('gives every Lambda task a Retry on Lambda service errors with backoff, and a Catch of everything', () => {
    for (const [name, s] of tasks) {
      expect([name, s.Resource]).toEqual([
        name,
        expect.stringMatching(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/),
      ]);
      expect(s.Retry?.[0]).toEqual(
        expect.objectContaining({
          ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.SdkClientException']),
          BackoffRate: 2,
        }),
      );
      expect([name, s.Catch?.some((c) => c.ErrorEquals.includes('States.ALL'))]).toEqual([name, true]);
    }
  });

  it('never retries a callback on a task failure: an agency SendTaskFailure must not dispatch the task again', () => {
    for (const [, s] of tasks.filter(([, t]) => isCallback(t))) {
      for (const r of s.Retry ?? []) expect(r.ErrorEquals).not.toEqual(expect.arrayContaining(['States.TaskFailed']));
      for (const r of s.Retry ?? []) expect(r.ErrorEquals).not.toContain('States.ALL');
      // Timeouts and missed heartbeats are caught before everything else (Catch order matters).
      expect(s.Catch?.[0]?.ErrorEquals).toEqual([...CALLBACK_TIMEOUT_ERRORS]);
    }
  });

  it('passes the task token from $$.Task.Token only to the dispatch step, with the attempt', () => {
    const byName = Object.fromEntries(states);
    const payloadOf = (n: string) => (byName[n]?.Parameters as { Payload?: unknown } | undefined)?.Payload;
    expect(payloadOf(JOINT_CONTROL_STATES.dispatch)).toEqual({
      step: 'dispatch',
      'incidentId.$': '$.incidentId',
      'taskId.$': '$.taskId',
      'taskToken.$': '$$.Task.Token',
      attempt: 1,
    });
    expect(payloadOf(JOINT_CONTROL_STATES.redispatch)).toMatchObject({ step: 'dispatch', attempt: 2 });
    expect(JSON.stringify(definition).match(/\$\$\.Task\.Token/g)).toHaveLength(2);
  });

  it('runs the agency tasks as an inline Map over the planned tasks with no concurrency limit, and ends every path', () => {
    const map = definition.States[JOINT_CONTROL_STATES.agencyTasks] as State;
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.plan.tasks', ResultPath: '$.endings' });
    expect(map.MaxConcurrency ?? 0).toBe(0);
    const ends = (graph: AslDefinition) =>
      Object.entries(graph.States).filter(([, s]) => s.End === true || s.Type === 'Succeed' || s.Type === 'Fail');
    expect(
      ends(map.ItemProcessor as AslDefinition)
        .map(([n]) => n)
        .sort(),
    ).toEqual(['Completed', 'Failed', 'Overdue']);
    expect(
      ends(definition)
        .map(([n]) => n)
        .sort(),
    ).toEqual(['CloseFailed', 'Closed', 'ClosedAfterFailure']);
  });

  it('ends each map iteration with a TaskEnding', () => {
    const processor = (definition.States[JOINT_CONTROL_STATES.agencyTasks] as { ItemProcessor: AslDefinition })
      .ItemProcessor;
    expect(processor.States.Completed?.Parameters).toEqual({
      'taskId.$': '$.taskId',
      ended: 'completed',
      'completion.$': '$.completion',
    });
    expect(processor.States.Overdue?.Parameters).toEqual({ 'taskId.$': '$.taskId', ended: 'overdue' });
    expect(processor.States.Failed?.Parameters).toEqual({
      'taskId.$': '$.taskId',
      ended: 'failed',
      'error.$': '$.failure.Error',
    });
  });
});

describe('local time scale', () => {
  it('divides the callback timeouts, heartbeats and the execution timeout, and nothing else', () => {
    const scaled = scaleDefinition(definition, 60);
    const before = Object.fromEntries(allStates(definition as never));
    for (const [name, s] of allStates(scaled as never)) {
      const original = before[name] as State;
      // A Map holds callbacks; its own fields are compared through its states.
      if (s.Type === 'Map') continue;
      if (isCallback(s)) {
        expect(s.TimeoutSeconds).toBe((original.TimeoutSeconds as number) / 60);
        expect(s.HeartbeatSeconds).toBe((original.HeartbeatSeconds as number) / 60);
      } else expect(s).toEqual(original);
    }
    expect(scaled.TimeoutSeconds).toBe((definition.TimeoutSeconds as number) / 60);
    // The input is untouched, and a scale of 1 changes nothing.
    expect(definition).toEqual(renderJointControlDefinition());
    expect(scaleDefinition(definition, 1)).toEqual(definition);
  });
});
