import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PORT_TABLE } from '../shared/platform/port-table';

/**
 * Embedded AWS emulators for the local platform and the tests: dynalite (DynamoDB) and kinesalite (Kinesis),
 * on loopback, in a child process of their own (no Docker, no Java). Real SDK clients reach them through AWS_ENDPOINT_URL_* (see `emulatorEnv`),
 * so handler code has no local branches.
 */
export interface Emulators {
  dynamodbEndpoint: string;
  kinesisEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Directory for LevelDB files; in memory when undefined. */
  dataDir?: string;
  /** Loopback ports; 0 (default) picks free ones. */
  dynamodbPort?: number;
  kinesisPort?: number;
}

/**
 * Starts the emulators in a child process (local/emulator-process.cjs) on loopback and waits until they listen.
 * A separate process puts the emulators' CPU work on the other core; `stop()` ends it (and it ends by itself if
 * this process goes away).
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const child: ChildProcess = fork(join(__dirname, 'emulator-process.cjs'), [], {
    env: { ...process.env, KOUAN_EMULATOR_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const ports = await new Promise<{ dynamodbPort: number; kinesisPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulators did not start within 15 s')), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator process exited (code ${code}) before it was ready`));
    });
    child.on('message', (m: { type?: string; message?: string; dynamodbPort?: number; kinesisPort?: number }) => {
      if (m.type === 'ready' && m.dynamodbPort && m.kinesisPort) {
        clearTimeout(timer);
        resolve({ dynamodbPort: m.dynamodbPort, kinesisPort: m.kinesisPort });
      } else if (m.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`emulators failed to start: ${m.message}`));
      }
    });
  });
  child.removeAllListeners('exit');
  let stopped: Promise<void> | undefined;
  return {
    dynamodbEndpoint: `http://127.0.0.1:${ports.dynamodbPort}`,
    kinesisEndpoint: `http://127.0.0.1:${ports.kinesisPort}`,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.send({ type: 'stop' });
      });
      return stopped;
    },
  };
}

/** Environment that points the real AWS SDK clients at the emulators (set before handler modules load). */
export function emulatorEnv(e: Emulators): Record<string, string> {
  return {
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodbEndpoint,
    AWS_ENDPOINT_URL_KINESIS: e.kinesisEndpoint,
    // Anything else the SDK might try goes to a closed loopback port, never to AWS.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoClient(e: Emulators): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: e.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });
}

/** kinesalite speaks HTTP/1.1 only; the SDK's default HTTP/2 handler fails against it (TOOLCHAIN.md). */
export function localKinesisClient(e: Emulators): KinesisClient {
  return new KinesisClient({
    endpoint: e.kinesisEndpoint,
    region: 'us-east-1',
    credentials: localCredentials,
    requestHandler: new NodeHttpHandler(),
  });
}

/** Creates the port table as PORT_TABLE describes it, unless it exists (persisted data dir); waits until ACTIVE. */
export async function ensurePortTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return waitForTable(client, tableName);
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
  }
  const attrs = new Set<string>([PORT_TABLE.partitionKey, PORT_TABLE.sortKey]);
  for (const g of PORT_TABLE.globalIndexes) {
    attrs.add(g.partitionKey);
    attrs.add(g.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: PORT_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: PORT_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: PORT_TABLE.globalIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitForTable(client, tableName);
}

async function waitForTable(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (t.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/** Creates the device event stream unless it exists, and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceInUseException') throw e;
  }
  for (let i = 0; i < 100; i++) {
    const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}
