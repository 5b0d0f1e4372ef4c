import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { TaskCallbackGoneError, type TaskCallbackGoneReason } from '../../domain/task-callback-errors';
import type { TaskCallbacks, TaskCompletion } from '../../ports/incident-workflow';

/** Step Functions' answers that mean "this token will never be accepted", by error name. */
const GONE: Record<string, TaskCallbackGoneReason> = {
  TaskTimedOut: 'timed-out',
  InvalidToken: 'invalid-token',
  TaskDoesNotExist: 'not-found',
};

/** SendTaskFailure limits: error 256 characters, cause 32,768. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

/**
 * Answers the workflow's callback tasks (`SendTaskSuccess` / `SendTaskFailure` / `SendTaskHeartbeat`). A token that
 * Step Functions no longer accepts (timed out, answered already, unknown) becomes a `TaskCallbackGoneError`; any
 * other failure (throttling, network) propagates as is, to be retried. Locally the same client reaches the embedded
 * runner through `AWS_ENDPOINT_URL_SFN`.
 */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  heartbeat(taskToken: string): Promise<void> {
    return this.send(new SendTaskHeartbeatCommand({ taskToken }));
  }

  succeed(taskToken: string, completion: TaskCompletion): Promise<void> {
    return this.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(completion) }));
  }

  fail(taskToken: string, error: string, cause: string): Promise<void> {
    return this.send(
      new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) }),
    );
  }

  private async send(
    command: SendTaskHeartbeatCommand | SendTaskSuccessCommand | SendTaskFailureCommand,
  ): Promise<void> {
    try {
      // The commands' overloads do not unify; each is a plain SFN command.
      await this.client.send(command as SendTaskSuccessCommand);
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      const reason = GONE[name];
      if (reason) throw new TaskCallbackGoneError(reason, `the task no longer accepts answers (${name})`);
      throw e;
    }
  }
}
