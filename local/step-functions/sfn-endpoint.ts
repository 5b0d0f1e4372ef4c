import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, replyJson } from '../loopback';
import type { LocalExecution, LocalStepFunctions } from './local-step-functions';
import { SfnApiError } from './sfn-api-error';

/**
 * The calls of the AWS Step Functions API the platform makes (StartExecution, DescribeExecution, SendTaskSuccess,
 * SendTaskFailure, SendTaskHeartbeat), in the AWS JSON 1.0 protocol (`POST /`, `X-Amz-Target:
 * AWSStepFunctions.<Operation>`), served on loopback so the real `SFNClient` works locally through
 * `AWS_ENDPOINT_URL_SFN`: the handlers have no local branch. Executions run in `LocalStepFunctions`.
 */
export interface SfnEndpoint {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface SfnEndpointOptions {
  /** 0 picks a free port. */
  port: number;
  runtime: LocalStepFunctions;
  log?: (message: string) => void;
}

const MAX_BODY_BYTES = 512 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.0';

type Operation = (body: Record<string, unknown>) => unknown;

function replyError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': code });
  res.end(JSON.stringify({ __type: code, message }));
}

const str = (body: Record<string, unknown>, key: string): string | undefined => {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SfnApiError('ValidationException', `${key} must be a string`);
  return v;
};

const required = (body: Record<string, unknown>, key: string): string => {
  const v = str(body, key);
  if (v === undefined) throw new SfnApiError('ValidationException', `${key} is required`);
  return v;
};

/** Timestamps go over the JSON protocol as epoch seconds. */
const epochSeconds = (d: Date) => d.getTime() / 1000;

function describe(e: LocalExecution) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    input: e.input,
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    ...(e.output !== undefined ? { output: e.output } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

export async function startSfnEndpoint(options: SfnEndpointOptions): Promise<SfnEndpoint> {
  const { runtime } = options;
  const operations: Record<string, Operation> = {
    StartExecution: (b) => {
      const e = runtime.startExecution({
        stateMachineArn: required(b, 'stateMachineArn'),
        ...(str(b, 'name') !== undefined ? { name: str(b, 'name') } : {}),
        ...(str(b, 'input') !== undefined ? { input: str(b, 'input') } : {}),
      });
      return { executionArn: e.executionArn, startDate: epochSeconds(e.startDate) };
    },
    DescribeExecution: (b) => describe(runtime.describeExecution(required(b, 'executionArn'))),
    SendTaskSuccess: (b) => {
      runtime.sendTaskSuccess(required(b, 'taskToken'), required(b, 'output'));
      return {};
    },
    SendTaskFailure: (b) => {
      runtime.sendTaskFailure(required(b, 'taskToken'), str(b, 'error'), str(b, 'cause'));
      return {};
    },
    SendTaskHeartbeat: (b) => {
      runtime.sendTaskHeartbeat(required(b, 'taskToken'));
      return {};
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = operations[target.replace(/^AWSStepFunctions\./, '')];
      if (req.method !== 'POST' || !target.startsWith('AWSStepFunctions.') || !operation)
        return replyError(res, 400, 'UnknownOperationException', `not served locally: ${req.method} ${target}`);
      const text = (await readBody(req, MAX_BODY_BYTES))?.toString('utf8');
      if (text === undefined) return replyError(res, 413, 'ValidationException', `body over ${MAX_BODY_BYTES} bytes`);
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return replyError(res, 400, 'SerializationException', 'the body is not JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        return replyError(res, 400, 'SerializationException', 'the body is not a JSON object');
      replyJson(res, 200, operation(body as Record<string, unknown>), CONTENT_TYPE);
    })().catch((e: unknown) => {
      if (res.headersSent) return;
      if (e instanceof SfnApiError) return replyError(res, 400, e.code, e.message);
      options.log?.(`step functions call failed: ${(e as Error).message}`);
      replyError(res, 500, 'InternalFailure', (e as Error).message);
    });
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
