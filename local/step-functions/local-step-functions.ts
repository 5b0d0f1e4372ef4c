import './promise-with-resolvers';
import { randomUUID } from 'node:crypto';
import { ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { SfnApiError } from './sfn-api-error';
import { TaskTokens } from './task-tokens';
import { scaleDefinition } from './time-scale';

/**
 * Step Functions on one machine: runs state machine definitions (the committed, CDK-synthesized ASL) in
 * aws-local-stepfunctions and keeps their executions, so the local Step Functions endpoint (sfn-endpoint.ts) can
 * answer StartExecution, DescribeExecution and the SendTask* callbacks as AWS does.
 *
 * Every Task state runs a local handler, keyed by state name as the runner wants: a `lambda:invoke` task calls the
 * Lambda handler module in this process (`{ FunctionName, Payload }` in, `{ StatusCode, Payload }` out); a
 * `lambda:invoke.waitForTaskToken` task, which the runner cannot wait on, gets its own token (TaskTokens), passes it
 * to the same handler in place of `$$.Task.Token`, then waits for SendTaskSuccess / SendTaskFailure, a missed
 * heartbeat or the timeout. Any other resource is refused when the machine is registered: nothing leaves the machine.
 * Executions live in memory: they do not survive a restart of the platform.
 */

/** The Lambda function a definition's tasks invoke: the handler module, called in process. */
export type LambdaInvoker = (payload: unknown) => Promise<unknown>;

type StateDef = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  Retry?: { IntervalSeconds?: number }[];
};
type Graph = { StartAt: string; States: Record<string, StateDef> };

export interface StateMachineRegistration {
  /** The ARN callers use (the state machine's ARN in the environment of the handlers). */
  arn: string;
  /** The ASL definition, as CDK synthesizes it. */
  definition: Graph & Record<string, unknown>;
  /** The Lambda function behind the definition's Lambda tasks. */
  invoke: LambdaInvoker;
  /**
   * Durations in the definition are divided by this (see time-scale.ts); retry intervals too.
   * @default 1
   */
  timeScale?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Names of the states entered, in order (map iterations interleave). */
  statesEntered: string[];
  /** Settles when the execution ends (never rejects). */
  done: Promise<void>;
}

export interface LocalStepFunctionsOptions {
  /** One line per execution that does not succeed. */
  log?: (message: string) => void;
}

/** Stands in for `$$.Task.Token` while the runner builds a callback task's parameters; replaced by a real token. */
const TOKEN_PLACEHOLDER = 'kouan-local-task-token-placeholder';
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_INPUT_BYTES = 256 * 1024;
const LOCAL_ACCOUNT_REGION = 'us-east-1:000000000000';

interface Registered {
  arn: string;
  name: string;
  machine: StateMachine;
  handlers: Record<string, (input: unknown) => Promise<unknown>>;
  retryIntervalOverrides: Record<string, number[]>;
}

export class LocalStepFunctions {
  readonly tokens = new TaskTokens();
  private readonly machines = new Map<string, Registered>();
  private readonly executions = new Map<string, LocalExecution & { abort: () => void }>();
  private stopped = false;

  constructor(private readonly options: LocalStepFunctionsOptions = {}) {}

  /** Registers a definition under an ARN. Throws on a definition the runner refuses or a task it cannot run locally. */
  register(registration: StateMachineRegistration): void {
    const scale = registration.timeScale ?? 1;
    // The runner validates the definition as committed (a copy: its validator fills in defaults); the scaled copy
    // differs only in its durations.
    new StateMachine(JSON.parse(JSON.stringify(registration.definition)));
    const definition = scaleDefinition(registration.definition, scale);
    const handlers: Registered['handlers'] = {};
    const retryIntervalOverrides: Registered['retryIntervalOverrides'] = {};
    forEachState(definition, (name, state) => {
      if (state.Retry && scale !== 1)
        retryIntervalOverrides[name] = state.Retry.map((r) => ((r.IntervalSeconds ?? 1) * 1000) / scale);
      if (state.Type !== 'Task') return;
      const resource = state.Resource ?? '';
      if (/:states:::lambda:invoke\.waitForTaskToken$/.test(resource))
        handlers[name] = this.callbackTask(state, registration.invoke);
      else if (/:states:::lambda:invoke$/.test(resource)) handlers[name] = lambdaTask(registration.invoke);
      else throw new Error(`state "${name}": the local runner runs only Lambda invoke tasks, not ${resource}`);
    });
    const name = registration.arn.split(':').at(-1) ?? registration.arn;
    this.machines.set(registration.arn, {
      arn: registration.arn,
      name,
      machine: new StateMachine(definition as never, { validationOptions: { noValidate: true } }),
      handlers,
      retryIntervalOverrides,
    });
  }

  /** StartExecution: idempotent for the same name and input while running, as in the cloud. */
  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): LocalExecution {
    if (this.stopped) throw new SfnApiError('ServiceUnavailable', 'the local Step Functions runtime is stopping');
    const registered = this.machines.get(request.stateMachineArn ?? '');
    if (!registered)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const name = request.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES)
      throw new SfnApiError('InvalidExecutionInput', 'Invalid Execution Input: over 256 KB');
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid Execution Input: not JSON');
    }

    const executionArn = `arn:aws:states:${LOCAL_ACCOUNT_REGION}:execution:${registered.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }

    const run = registered.machine.run(parsed as never, {
      overrides: {
        taskResourceLocalHandlers: registered.handlers as never,
        retryIntervalOverrides: registered.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: registered.arn, Name: registered.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
      noThrowOnAbort: true,
    });
    const execution: LocalExecution & { abort: () => void } = {
      executionArn,
      stateMachineArn: registered.arn,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      statesEntered: [],
      done: Promise.resolve(),
      abort: run.abort,
    };
    void (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') execution.statesEntered.push(event.state.name);
      }
    })().catch(() => undefined);
    execution.done = run.result.then(
      (output) => {
        // noThrowOnAbort: an aborted execution resolves with null.
        if (output === null && execution.status === 'RUNNING' && this.stopped) execution.status = 'ABORTED';
        else {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output);
        }
        execution.stopDate = new Date();
      },
      (e: unknown) => {
        execution.stopDate = new Date();
        if (e instanceof ExecutionTimeoutError) execution.status = 'TIMED_OUT';
        else {
          execution.status = 'FAILED';
          const cause = e instanceof ExecutionError ? (e.cause as Error) : (e as Error);
          execution.error = cause?.name;
          execution.cause = cause?.message;
        }
        this.options.log?.(
          `execution ${name} ${execution.status.toLowerCase()}${execution.error ? `: ${execution.error} ${execution.cause ?? ''}` : ''}`,
        );
      },
    );
    this.executions.set(executionArn, execution);
    return execution;
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  /** Executions so far, oldest first. */
  list(): LocalExecution[] {
    return [...this.executions.values()];
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: not JSON');
    }
    this.tokens.succeed(taskToken, parsed);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.tokens.fail(taskToken, error, cause);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.tokens.heartbeat(taskToken);
  }

  /** Aborts every running execution and ends every wait; resolves once all have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const e of running) e.abort();
    this.tokens.cancelAll(new Error('the local Step Functions runtime stopped'));
    await Promise.all(running.map((e) => e.done));
  }

  /** A callback task: mint a token, hand it to the dispatch step, wait for the answer or a timeout. */
  private callbackTask(state: StateDef, invoke: LambdaInvoker) {
    return async (input: unknown): Promise<unknown> => {
      const { token, answer } = this.tokens.issue({
        ...(state.TimeoutSeconds !== undefined ? { timeoutMs: state.TimeoutSeconds * 1000 } : {}),
        ...(state.HeartbeatSeconds !== undefined ? { heartbeatMs: state.HeartbeatSeconds * 1000 } : {}),
      });
      // Observed here so that a wait ended by a failed dispatch is not an unhandled rejection.
      answer.catch(() => undefined);
      const { Payload } = lambdaRequest(input);
      try {
        await invoke(asJson(replaceToken(Payload, token)));
      } catch (e) {
        this.tokens.cancel(token, e as Error);
        throw e;
      }
      return answer;
    };
  }
}

/** A Lambda invoke task: the handler's result in the shape of Lambda's Invoke response. */
function lambdaTask(invoke: LambdaInvoker) {
  return async (input: unknown) => ({
    StatusCode: 200,
    ExecutedVersion: '$LATEST',
    Payload: asJson(await invoke(asJson(lambdaRequest(input).Payload))),
  });
}

/** What crosses Lambda's boundary is JSON: undefined fields vanish, dates become strings, as in the cloud. */
function asJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function lambdaRequest(input: unknown): { FunctionName: string; Payload: unknown } {
  const request = input as { FunctionName?: unknown; Payload?: unknown } | null;
  if (typeof request?.FunctionName !== 'string')
    throw new Error('a Lambda invoke task needs Parameters { FunctionName, Payload }');
  return { FunctionName: request.FunctionName, Payload: request.Payload ?? null };
}

/** The payload with the placeholder of `$$.Task.Token` replaced by the task's own token, wherever it was put. */
function replaceToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => replaceToken(v, token));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceToken(v, token)]));
  return value;
}

/** Every state of a definition, nested ones (Map item processors, Parallel branches) included. */
function forEachState(graph: Graph, visit: (name: string, state: StateDef) => void): void {
  for (const [name, state] of Object.entries(graph.States)) {
    visit(name, state);
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[] | undefined) ?? [])];
    for (const sub of nested) if (sub && typeof sub === 'object') forEachState(sub as Graph, visit);
  }
}
