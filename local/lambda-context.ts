import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The account id the local platform's ARNs carry. */
export const ACCOUNT = '000000000000';

/** A Lambda `Context` as the runtime passes it; handlers that read it (Powertools does) see real-shaped values. */
export function lambdaContext(functionName: string, region: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // Deprecated callback-style completion: the local runtime only supports async handlers, as Node 24 Lambda does.
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
