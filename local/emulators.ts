import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import { PORT_TABLE } from '../shared/platform/port-table';

/**
 * Embedded AWS emulators for the local platform and the tests: dynalite (DynamoDB) and kinesalite (Kinesis),
 * both in-process on loopback. Real SDK clients reach them through AWS_ENDPOINT_URL_* (see `emulatorEnv`),
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

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const ddb = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: `${options.dataDir}/dynamodb` } : {}),
  });
  const kin = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 50,
    ...(options.dataDir ? { path: `${options.dataDir}/kinesis` } : {}),
  });
  const [dp, kp] = await Promise.all([listen(ddb, options.dynamodbPort ?? 0), listen(kin, options.kinesisPort ?? 0)]);
  return {
    dynamodbEndpoint: `http://127.0.0.1:${dp}`,
    kinesisEndpoint: `http://127.0.0.1:${kp}`,
    stop: async () => {
      await Promise.all([close(ddb), close(kin)]);
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
  return new DynamoDBClient({ endpoint: e.dynamodbEndpoint, region: 'us-east-1', credentials: localCredentials });
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

/** Creates the port table as PORT_TABLE describes it, unless it exists (persisted data dir). */
export async function ensurePortTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
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
