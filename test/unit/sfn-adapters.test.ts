import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { parseTimeScale } from '../../local/step-functions/time-scale';
import { SfnTaskCallbacks } from '../../shared/adapters/stepfunctions/sfn-task-callbacks';
import { SfnWorkflowStarter } from '../../shared/adapters/stepfunctions/sfn-workflow-starter';
import { TaskCallbackGoneError } from '../../shared/domain/task-callback-errors';

const ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:kouan-prod-joint-control';
const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'eu-west-1' });
const meta = { $metadata: {} };

beforeEach(() => sfn.reset());

describe('SfnWorkflowStarter', () => {
  it('starts one execution named after the incident, with the incident id as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    await new SfnWorkflowStarter(client, ARN).start({ incidentId: 'INC-42' });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: ARN, name: 'INC-42', input: '{"incidentId":"INC-42"}' },
    ]);
  });

  it('treats ExecutionAlreadyExists as success: the incident already has its workflow', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    await expect(new SfnWorkflowStarter(client, ARN).start({ incidentId: 'INC-42' })).resolves.toBeUndefined();
  });

  it('lets any other failure through, to be retried by its caller', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta }));
    await expect(new SfnWorkflowStarter(client, ARN).start({ incidentId: 'INC-42' })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});

describe('SfnTaskCallbacks', () => {
  const callbacks = new SfnTaskCallbacks(client);

  it('sends the completion as the task output, a heartbeat, and a failure within the API limits', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    await callbacks.succeed('t1', { taskId: 'customs', outcome: 'seized', findings: 'undeclared cobalt-60' });
    await callbacks.heartbeat('t1');
    await callbacks.fail('t2', 'E'.repeat(300), 'C'.repeat(40_000));
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 't1',
      output: '{"taskId":"customs","outcome":"seized","findings":"undeclared cobalt-60"}',
    });
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input).toEqual({ taskToken: 't1' });
    const failure = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(failure?.error).toHaveLength(256);
    expect(failure?.cause).toHaveLength(32_768);
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', ...meta }), 'timed-out'],
    ['InvalidToken', new InvalidToken({ message: 'Invalid Token', ...meta }), 'invalid-token'],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'gone', ...meta }), 'not-found'],
  ] as const)('maps %s to a TaskCallbackGoneError (409, not retried)', async (_, error, reason) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    const answer = callbacks.succeed('t1', { taskId: 'border', outcome: 'cleared' });
    await expect(answer).rejects.toBeInstanceOf(TaskCallbackGoneError);
    await expect(answer).rejects.toMatchObject({ code: 'TASK_NO_LONGER_OPEN', reason });
  });

  it('lets throttling and other failures through unchanged, to be retried', async () => {
    sfn
      .on(SendTaskHeartbeatCommand)
      .rejects(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta }));
    await expect(callbacks.heartbeat('t1')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('local time scale flag', () => {
  it('accepts numbers from 1 and refuses anything else', () => {
    expect(parseTimeScale(undefined)).toBe(1);
    expect(parseTimeScale('')).toBe(1);
    expect(parseTimeScale('60')).toBe(60);
    expect(parseTimeScale('2.5')).toBe(2.5);
    for (const bad of ['0', '0.5', '-60', 'fast', 'Infinity']) expect(() => parseTimeScale(bad)).toThrow(/time scale/);
  });
});
