import { randomUUID } from 'node:crypto';
import { SfnApiError } from './sfn-api-error';

/**
 * The callback tokens of the local runner's `.waitForTaskToken` tasks, which aws-local-stepfunctions cannot wait on
 * itself: each callback task gets a token here, waits for it, and the local Step Functions endpoint resolves it from
 * SendTaskSuccess / SendTaskFailure. HeartbeatSeconds and TimeoutSeconds are enforced here as Step Functions does:
 * silence past the heartbeat fails the task with `States.HeartbeatTimeout`, the timeout with `States.Timeout`.
 */

/** An error with the name Step Functions gives it; the runner matches Retry and Catch on `name`. */
export class TaskStateError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface Waiting {
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeatMs: number | undefined;
  heartbeatTimer: NodeJS.Timeout | undefined;
  timeoutTimer: NodeJS.Timeout | undefined;
}

export interface TokenLimits {
  /** Fails the task with States.Timeout after this long; undefined waits forever. */
  timeoutMs?: number;
  /** Fails the task with States.HeartbeatTimeout after this long without a heartbeat or an answer. */
  heartbeatMs?: number;
}

const TOKEN_PREFIX = 'kouan-local-task-token:';
/** Answered and expired tokens are remembered (bounded) so a late answer gets TaskTimedOut, as in the cloud. */
const MAX_CLOSED_TOKENS = 10_000;

export class TaskTokens {
  private readonly waiting = new Map<string, Waiting>();
  private readonly closed = new Set<string>();

  /** A new token and the promise of its answer (rejects on SendTaskFailure, heartbeat or timeout, or `cancel`). */
  issue(limits: TokenLimits): { token: string; answer: Promise<unknown> } {
    const token = `${TOKEN_PREFIX}${randomUUID()}`;
    const answer = new Promise<unknown>((resolve, reject) => {
      const w: Waiting = {
        resolve,
        reject,
        heartbeatMs: limits.heartbeatMs,
        heartbeatTimer: undefined,
        timeoutTimer: undefined,
      };
      if (limits.timeoutMs !== undefined)
        w.timeoutTimer = setTimeout(
          () => this.settle(token, (x) => x.reject(new TaskStateError('States.Timeout', 'the task timed out'))),
          limits.timeoutMs,
        );
      this.waiting.set(token, w);
      this.armHeartbeat(token, w);
    });
    return { token, answer };
  }

  succeed(token: string, output: unknown): void {
    this.settle(this.open(token), (w) => w.resolve(output));
  }

  fail(token: string, error: string | undefined, cause: string | undefined): void {
    // Step Functions reports a SendTaskFailure without an error name as States.TaskFailed.
    this.settle(this.open(token), (w) => w.reject(new TaskStateError(error || 'States.TaskFailed', cause ?? '')));
  }

  heartbeat(token: string): void {
    const w = this.waiting.get(this.open(token));
    if (w) this.armHeartbeat(token, w);
  }

  /** Ends a wait without an answer (the task state failed another way, or the platform stops). */
  cancel(token: string, error: Error): void {
    if (this.waiting.has(token)) this.settle(token, (w) => w.reject(error));
  }

  /** Tokens still waiting for an answer. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Rejects every waiting token (platform shutdown). */
  cancelAll(error: Error): void {
    for (const token of [...this.waiting.keys()]) this.cancel(token, error);
  }

  private open(token: string): string {
    if (!token.startsWith(TOKEN_PREFIX)) throw new SfnApiError('InvalidToken', 'Invalid Token');
    if (this.waiting.has(token)) return token;
    if (this.closed.has(token)) throw new SfnApiError('TaskTimedOut', 'Task Timed Out: the task is closed');
    // A token of an earlier run of the platform (executions do not survive a restart) or never issued.
    throw new SfnApiError('TaskDoesNotExist', 'Task does not exist');
  }

  private armHeartbeat(token: string, w: Waiting): void {
    if (w.heartbeatMs === undefined) return;
    clearTimeout(w.heartbeatTimer);
    w.heartbeatTimer = setTimeout(
      () =>
        this.settle(token, (x) =>
          x.reject(new TaskStateError('States.HeartbeatTimeout', 'no heartbeat within HeartbeatSeconds')),
        ),
      w.heartbeatMs,
    );
  }

  private settle(token: string, how: (w: Waiting) => void): void {
    const w = this.waiting.get(token);
    if (!w) return;
    this.waiting.delete(token);
    clearTimeout(w.heartbeatTimer);
    clearTimeout(w.timeoutTimer);
    this.closed.add(token);
    if (this.closed.size > MAX_CLOSED_TOKENS) this.closed.delete(this.closed.values().next().value as string);
    how(w);
  }
}
