import { ConflictError } from './errors';

/** Why Step Functions no longer accepts an answer on a callback task's token. */
export type TaskCallbackGoneReason = 'timed-out' | 'invalid-token' | 'not-found';

/**
 * The callback task an agency answers is no longer waiting: it timed out (and was escalated or marked overdue), it was
 * answered already, or the stored token is not one Step Functions knows. A conflict with the task's state (HTTP 409),
 * never a retryable failure: sending the same answer again cannot succeed.
 */
export class TaskCallbackGoneError extends ConflictError {
  constructor(
    readonly reason: TaskCallbackGoneReason,
    message: string,
  ) {
    super('TASK_NO_LONGER_OPEN', message, { reason });
  }
}
