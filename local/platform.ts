import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PortCode } from '../events/v1';
import { DynamoIncidentStore } from '../shared/adapters/dynamodb/dynamodb-incident-store';
import { SfnWorkflowStarter } from '../shared/adapters/stepfunctions/sfn-workflow-starter';
import { ENV } from '../shared/config/env';
import { createRouteMatcher } from '../shared/http/router';
import { ROUTES } from '../shared/http/routes';
import { type Broker, type BrokerStats, startBroker } from './broker';
import { signLocalToken } from './dev-tokens';
import {
  type Emulators,
  emulatorEnv,
  ensurePortTable,
  ensureStream,
  localDynamoClient,
  localKinesisClient,
  startEmulators,
} from './emulators';
import { startEvaluationTimer } from './evaluation-timer';
import { type LocalNotification, startEventBridgeEndpoint } from './eventbridge-endpoint';
import { type ApiHandler, type HttpServer, type HttpServerAuth, startHttpServer } from './http-server';
import { startIotDataEndpoint } from './iot-data-endpoint';
import { createJwtAuthorizer } from './jwt-authorizer';
import { type KinesisHandler, KinesisPoller, type KinesisPollerStats } from './kinesis-poller';
import { type Progress, startProgress } from './progress';
import type { SimulatorStats, TruckTrip } from './simulator';
import type { AgencyBotStats, AgencyBotsOptions } from './simulator/agencies';
import { LOCAL_JOINT_CONTROL_ARN, startLocalJointControl } from './step-functions/joint-control';
import type { LambdaInvoker, LocalExecution } from './step-functions/local-step-functions';
import { StreamProducer, type StreamProducerStats, type UndeliverableRecord } from './stream-producer';

/**
 * The whole platform on one machine, wired the way the cloud is wired:
 *
 *   device ─MQTT─▶ broker (IoT policy + topic rule) ─▶ stream producer ─PutRecords─▶ kinesalite
 *     ─▶ poller (event source mapping) ─▶ ingest handler ─▶ dynalite ◀─ api handler ◀─ http server ◀─ agency
 *
 * The handlers are the real Lambda modules (functions/*), loaded after the environment points their SDK clients
 * at the emulators (which run in a process of their own, see emulators.ts), because they read their configuration
 * at module load as they do at a cold start. Everything else runs in this process, on 127.0.0.1 only.
 * `npm start` (local/main.ts) and the end-to-end tests both start it through here.
 */

export interface PlatformHandlers {
  ingest: KinesisHandler;
  api: ApiHandler;
  /** The joint-control state machine's Lambda tasks. @default functions/incident-workflow/handler.ts */
  workflow?: LambdaInvoker;
  /** The scheduled performance evaluation, run every minute. @default functions/evaluation/handler.ts (none with stand-ins) */
  evaluation?: () => Promise<unknown>;
}

export interface SimulatorSettings {
  seed?: number;
  ratePerSecond?: number;
  /** Port seconds per wall second. @default 60 */
  timeScale?: number;
  /**
   * The simulated declarant, customs officer and joint-control agencies (local/simulator/agencies.ts), acting through
   * the API; off when false. `timeScale` here speeds up only their delays.
   * @default {}
   */
  agencies?:
    | false
    | Partial<Pick<AgencyBotsOptions, 'declareShare' | 'maxDeclarationsPerSecond' | 'pollMs' | 'timeScale'>>;
}

export interface PlatformOptions {
  /** 0 picks a free port. @default 0 */
  httpPort?: number;
  /** 0 picks a free port. @default 0 */
  mqttPort?: number;
  /** Where the emulators, checkpoints and failure logs live; in memory when undefined. */
  dataDir?: string;
  /** UN/LOCODE the simulator plays and the progress line counts. @default 'CNSGH' */
  portCode?: string;
  /** Simulated device traffic; off when false. @default false */
  simulator?: false | SimulatorSettings;
  /** Progress line interval; off when false. @default false */
  progressIntervalMs?: number | false;
  /** Console output, one line per call. @default console.log */
  log?: (line: string) => void;
  /** Handler modules; the real ones unless a test brings stand-ins. */
  handlers?: () => Promise<PlatformHandlers>;
  /** @default 4 */
  shardCount?: number;
  /** The joint-control workflow's timeouts and heartbeats are divided by this (`--time-scale`). @default 1 */
  timeScale?: number;
}

export interface PlatformStats {
  broker: BrokerStats;
  producer: StreamProducerStats;
  poller: KinesisPollerStats;
  http: { requests: number; errors: number };
  simulator?: SimulatorStats;
  agencies?: AgencyBotStats;
}

export interface PlatformHandle {
  httpUrl: string;
  mqttUrl: string;
  httpPort: number;
  mqttPort: number;
  /** Absolute path, or undefined when in memory. */
  dataDir: string | undefined;
  portCode: string;
  streamName: string;
  tableName: string;
  stats(): PlatformStats;
  /** Resolves true once every record routed so far has been handled by the ingest function. */
  settle(timeoutMs?: number): Promise<boolean>;
  /** The agency notifications the handlers sent (the local EventBridge feed), oldest first. */
  notifications(): LocalNotification[];
  /** The joint-control executions (one per incident), oldest first. */
  workflowExecutions(): LocalExecution[];
  /** Stops every part, newest first. Safe to call twice. */
  stop(): Promise<void>;
}

export const STREAM_NAME = 'kouan-device-events';
export const TABLE_NAME = 'kouan-port';

/** The Lambda environment the stacks set, with local values (see shared/config/env.ts for the names). */
const HANDLER_ENV = {
  [ENV.tableName]: TABLE_NAME,
  // Must outlive the stream's retention (24 h) plus replays days later (CONTRACT.md §2).
  [ENV.dedupeWindowHours]: '192',
  [ENV.trackRetentionHours]: '48',
  // A public seed is fine on one machine; a cloud stage sets its own (stage config `riskSeed`).
  [ENV.riskSeed]: 'kouan-local-selectivity-seed',
  // Joint control: a red lane scoring 80 or more raises an incident; one incident per subject and cause per hour.
  [ENV.incidentMinScore]: '80',
  [ENV.incidentDedupeMinutes]: '60',
  // The simulator runs 60× faster than its timestamps: a port call ends after 24 port hours = 24 minutes of silence.
  [ENV.portCallSplitMinutes]: '24',
  POWERTOOLS_SERVICE_NAME: 'kouan-local',
};

/**
 * The handler modules keep the SDK clients they built at first load, bound to the emulator endpoints of that
 * moment. A platform restarted in the same process (a test that restarts on the same data dir) therefore gets its
 * emulators on the same ports again.
 */
let emulatorPorts: { dynamodb: number; kinesis: number } | undefined;
/** The same for the IoT data endpoint the ingest handler publishes gate commands to. */
let iotDataPort: number | undefined;
/** The same for the EventBridge endpoint the handlers send agency notifications to. */
let eventBridgePort: number | undefined;
/** The same for the local Step Functions endpoint the handlers start executions on and answer callbacks to. */
let stepFunctionsPort: number | undefined;
/** The bus name the handlers put notifications on locally (any name: the local feed keeps them all). */
export const LOCAL_NOTIFICATION_BUS = 'kouan-local-notifications';

const defaultHandlers = async (): Promise<PlatformHandlers> => {
  const [ingest, api, workflow] = await Promise.all([
    import('../functions/ingest/handler'),
    import('../functions/api/handler'),
    import('../functions/incident-workflow/handler'),
  ]);
  return { ingest: ingest.handler, api: api.handler, workflow: workflow.handler };
};

/** Starts the workflow of every open incident of the port (StartExecution is idempotent per incident). */
async function resumeOpenIncidents(
  dynamo: ReturnType<typeof localDynamoClient>,
  port: string,
  stepFunctionsUrl: string,
  log: (line: string) => void,
): Promise<void> {
  const store = new DynamoIncidentStore(DynamoDBDocumentClient.from(dynamo), TABLE_NAME);
  const starter = new SfnWorkflowStarter(
    new SFNClient({
      endpoint: stepFunctionsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    LOCAL_JOINT_CONTROL_ARN,
  );
  let resumed = 0;
  let nextToken: string | undefined;
  do {
    const page = await store.listByPort(port, 'open', { limit: 100, ...(nextToken ? { nextToken } : {}) });
    for (const incident of page.items) {
      await starter.start({ incidentId: incident.incidentId });
      resumed++;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  if (resumed > 0) log(`resumed the joint-control workflow of ${resumed} open incident(s)`);
}

/** Starts every part; on any failure stops what had started and rethrows. */
export async function startPlatform(options: PlatformOptions = {}): Promise<PlatformHandle> {
  const portCode = PortCode.parse(options.portCode ?? 'CNSGH');
  const write = options.log ?? ((line: string) => console.log(line));
  const logFor = (component: string) => (message: string) =>
    write(`[kouan] ${new Date().toTimeString().slice(0, 8)} ${component.padEnd(8)} ${message}`);
  const log = logFor('platform');
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);

  const stops: { name: string; stop: () => Promise<void> | void }[] = [];
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    for (const part of stops.reverse()) {
      try {
        await part.stop();
      } catch (e) {
        log(`stopping ${part.name} failed: ${(e as Error).message}`);
      }
    }
  };

  try {
    if (dataDir) {
      const release = lockDataDir(dataDir);
      stops.push({ name: 'data dir lock', stop: release });
    }
    const emulators: Emulators = await startEmulators({
      ...(dataDir ? { dataDir } : {}),
      dynamodbPort: emulatorPorts?.dynamodb ?? 0,
      kinesisPort: emulatorPorts?.kinesis ?? 0,
    });
    stops.push({ name: 'emulators', stop: () => emulators.stop() });
    emulatorPorts ??= { dynamodb: portOf(emulators.dynamodbEndpoint), kinesis: portOf(emulators.kinesisEndpoint) };

    // Gate commands from the ingest handler (IoTDataPlaneClient) reach the broker through this endpoint; the broker
    // starts later, so publishes before it is up fail (and the stream record is retried).
    let commandBroker: Broker | undefined;
    const iotData = await startIotDataEndpoint({
      port: iotDataPort ?? 0,
      onPublish: async (topic, payload, qos) => {
        if (!commandBroker) throw new Error('the mqtt broker is not up yet');
        await commandBroker.publish(topic, payload, qos);
      },
      log: logFor('iot'),
    });
    stops.push({ name: 'iot data endpoint', stop: () => iotData.stop() });
    iotDataPort ??= iotData.port;

    // Agency notifications (EventBridgeClient in the handlers) land in the local feed: notifications.jsonl in the data
    // dir, the last ones in memory, one log line each, and the loopback webhook KOUAN_WEBHOOK_URL if set.
    const notificationFeed = await startEventBridgeEndpoint({
      port: eventBridgePort ?? 0,
      ...(dataDir ? { dataDir } : {}),
      ...(process.env.KOUAN_WEBHOOK_URL ? { webhookUrl: process.env.KOUAN_WEBHOOK_URL } : {}),
      log: logFor('notify'),
    });
    stops.push({ name: 'eventbridge endpoint', stop: () => notificationFeed.stop() });
    eventBridgePort ??= notificationFeed.port;

    // The joint-control state machine: the committed definition in the local runner behind a loopback Step Functions
    // endpoint (SFNClient in the handlers). Its Lambda tasks call the workflow handler, loaded below with the others;
    // no execution starts before then, as only the handlers start them.
    let workflowHandler: LambdaInvoker | undefined;
    const jointControl = await startLocalJointControl({
      port: stepFunctionsPort ?? 0,
      invoke: (payload) => {
        if (!workflowHandler) throw new Error('the workflow handler is not loaded yet');
        return workflowHandler(payload);
      },
      timeScale: options.timeScale ?? 1,
      log: logFor('workflow'),
    });
    stops.push({ name: 'step functions', stop: () => jointControl.stop() });
    stepFunctionsPort ??= jointControl.port;

    const restoreEnv = setEnv({
      ...emulatorEnv(emulators),
      AWS_ENDPOINT_URL_IOT_DATA_PLANE: iotData.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: notificationFeed.url,
      [ENV.stepFunctionsEndpoint]: jointControl.url,
      // Every Task state runs a local handler; should one ever reach for Lambda, it gets a closed loopback port.
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
      [ENV.incidentWorkflowArn]: LOCAL_JOINT_CONTROL_ARN,
      [ENV.notificationBusName]: LOCAL_NOTIFICATION_BUS,
      ...HANDLER_ENV,
      [ENV.portCode]: portCode,
      // Handler warnings stay on the console; their info logs would drown the progress line.
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    stops.push({ name: 'environment', stop: restoreEnv });

    const dynamo = localDynamoClient(emulators);
    const kinesis = localKinesisClient(emulators);
    stops.push({
      name: 'sdk clients',
      stop: () => {
        dynamo.destroy();
        kinesis.destroy();
      },
    });
    await Promise.all([
      ensurePortTable(dynamo, TABLE_NAME),
      ensureStream(kinesis, STREAM_NAME, options.shardCount ?? 4),
    ]);

    const handlers = await (options.handlers ?? defaultHandlers)();
    workflowHandler = handlers.workflow ?? (await import('../functions/incident-workflow/handler')).handler;
    // Executions live in this process. Incidents a previous run left open (a persisted data dir) get their workflow
    // again: every step is idempotent, so it re-dispatches what is still open and closes them.
    if (dataDir) await resumeOpenIncidents(dynamo, portCode, jointControl.url, log);

    const http: HttpServer = await startHttpServer({
      port: options.httpPort ?? 0,
      handler: handlers.api,
      auth: localApiAuth(),
      log: logFor('api'),
    });
    stops.push({ name: 'http server', stop: () => http.stop() });

    // The performance evaluation's hourly EventBridge schedule, played by a timer (once a minute, so that the
    // buckets and snapshots follow the simulator's traffic).
    const evaluation =
      handlers.evaluation ?? (options.handlers ? undefined : (await import('../functions/evaluation/handler')).handler);
    if (evaluation) {
      const timer = startEvaluationTimer(evaluation, 60_000, logFor('eval'));
      stops.push({ name: 'evaluation timer', stop: () => timer.stop() });
    }

    const poller = new KinesisPoller({
      client: kinesis,
      streamName: STREAM_NAME,
      handler: handlers.ingest,
      // The producer wakes a shard's poller when it writes to it; polling an idle stream is only the safety net.
      idleWaitMs: 1000,
      // Gather a few records per invocation, as the cloud mapping's batching window does.
      batchWindowMs: 5,
      ...(dataDir
        ? { checkpointFile: join(dataDir, 'checkpoints.json'), onFailureFile: join(dataDir, 'on-failure.jsonl') }
        : {}),
      log: logFor('ingest'),
    });
    await poller.start();
    // The broker closes after the poller (stops run in reverse): the ingest function still publishes gate commands
    // while the last records drain. Its intake closes first, at its own place below.
    let brokerToClose: Broker | undefined;
    stops.push({ name: 'mqtt broker', stop: () => brokerToClose?.stop() });
    stops.push({ name: 'stream poller', stop: () => poller.stop(1500) });

    const producerLog = logFor('stream');
    const producer = new StreamProducer({
      client: kinesis,
      streamName: STREAM_NAME,
      log: producerLog,
      onWritten: (shards) => poller.wake(shards),
      onUndeliverable: (records) => reportUndeliverable(records, dataDir, producerLog),
    });
    // Drain the producer, then give the poller a moment to hand the last records to the ingest function.
    stops.push({
      name: 'stream producer',
      stop: async () => {
        await producer.stop(1000);
        await waitUntil(() => poller.stats().processed >= producer.stats().sent, 1000);
      },
    });

    const broker: Broker = await startBroker({
      port: options.mqttPort ?? 0,
      onRecord: (partitionKey, record) => producer.put(partitionKey, Buffer.from(JSON.stringify(record))),
      log: logFor('broker'),
    });
    brokerToClose = broker;
    stops.push({ name: 'mqtt intake', stop: () => broker.closeIntake() });
    commandBroker = broker;

    let simulatorStats: (() => SimulatorStats) | undefined;
    let agencyStats: (() => AgencyBotStats) | undefined;
    if (options.simulator) {
      const { agencies: agencySettings = {}, ...simulatorSettings } = options.simulator;
      const { startSimulator } = await import('./simulator');
      let offerTrips: ((trips: readonly TruckTrip[]) => void) | undefined;
      const simulator = await startSimulator({
        mqttUrl: broker.url,
        port: portCode,
        ...simulatorSettings,
        onTrips: (trips) => offerTrips?.(trips),
        log: logFor('sim'),
      });
      simulatorStats = () => simulator.stats();
      stops.push({ name: 'simulator', stop: () => simulator.stop() });
      // The declarant, the officer and the agencies: clients of the API, stopped before the simulator and the API.
      if (agencySettings !== false) {
        const { startAgencyBots } = await import('./simulator/agencies');
        const bots = startAgencyBots({
          httpUrl: http.url,
          port: portCode,
          runId: simulator.runId,
          timeScale: simulator.timeScale,
          vessels: simulator.vessels,
          ...(simulatorSettings.seed === undefined ? {} : { seed: simulatorSettings.seed }),
          ...agencySettings,
          log: logFor('agency'),
        });
        offerTrips = (trips) => bots.offer(trips);
        agencyStats = () => bots.stats();
        stops.push({ name: 'agency bots', stop: () => bots.stop() });
      }
    }

    const stats = (): PlatformStats => ({
      broker: broker.stats(),
      producer: producer.stats(),
      poller: poller.stats(),
      http: http.stats(),
      ...(simulatorStats ? { simulator: simulatorStats() } : {}),
      ...(agencyStats ? { agencies: agencyStats() } : {}),
    });

    if (options.progressIntervalMs !== false && options.progressIntervalMs !== undefined) {
      const progress: Progress = startProgress({
        intervalMs: options.progressIntervalMs,
        write,
        sample: async () => {
          const s = stats();
          return {
            in: s.broker.accepted,
            processed: s.poller.processed,
            rejected: s.broker.refused,
            deadLettered: await countDeadLettered(http.url, portCode),
            lagMs: s.poller.lagMs,
            failures: s.poller.failures + s.producer.undeliverable,
          };
        },
      });
      stops.push({ name: 'progress', stop: () => progress.stop() });
    }

    return {
      httpUrl: http.url,
      mqttUrl: broker.url,
      httpPort: http.port,
      mqttPort: broker.port,
      dataDir,
      portCode,
      streamName: STREAM_NAME,
      tableName: TABLE_NAME,
      stats,
      notifications: () => notificationFeed.recent(),
      workflowExecutions: () => jointControl.runtime.list(),
      settle: (timeoutMs = 5000) =>
        waitUntil(() => {
          const s = stats();
          return s.producer.pending === 0 && s.poller.processed >= s.producer.sent;
        }, timeoutMs),
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
}

/**
 * One platform per data dir: LevelDB would refuse the second one anyway, but from inside the emulators, with an
 * unhandled error. A lock file with the owner's pid says it plainly; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'kouan.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const owner = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new DataDirInUseError(
        `data dir ${dataDir} is in use by another kouan (pid ${owner}); stop it, or use --in-memory or another KOUAN_DATA_DIR`,
      );
    }
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sets variables and returns a function that puts the previous values back. */
function setEnv(values: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(values)) {
    previous.set(k, process.env[k]);
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** Never silent: undelivered records go to a JSON-lines file in the data dir, or to the console in memory. */
function reportUndeliverable(records: UndeliverableRecord[], dataDir: string | undefined, log: (m: string) => void) {
  const lines = records.map((r) =>
    JSON.stringify({
      partitionKey: r.partitionKey,
      data: Buffer.from(r.data).toString('base64'),
      attempts: r.attempts,
      enqueuedAt: new Date(r.enqueuedAt).toISOString(),
    }),
  );
  if (dataDir) {
    const file = join(dataDir, 'undeliverable.jsonl');
    appendFileSync(file, `${lines.join('\n')}\n`);
    log(`${records.length} record(s) could not be written to the stream before shutdown; kept in ${file}`);
  } else {
    log(`${records.length} record(s) could not be written to the stream before shutdown:\n${lines.join('\n')}`);
  }
}

/**
 * API Gateway's JWT authorizer, locally: on every route of the table that is not public, as the CDK app attaches
 * the Cognito authorizer in the cloud. Unknown routes reach the handler (404/405), as they do in the cloud.
 */
function localApiAuth(): HttpServerAuth {
  const match = createRouteMatcher(ROUTES);
  return {
    authorizer: createJwtAuthorizer(),
    needsToken: (method, path) => {
      const m = match(method, path);
      return m.kind === 'route' && m.route.access !== 'public';
    },
  };
}

/**
 * Messages the ingest function dead-lettered for this port: the sum of the devices' `rejected` counts, read
 * through the API like any client would (as a platform admin, with a local token). Undefined when the API cannot
 * say.
 */
async function countDeadLettered(httpUrl: string, port: string): Promise<number | undefined> {
  const headers = {
    authorization: `Bearer ${await signLocalToken({ roles: ['platform-admin'], sub: 'kouan-progress', ttlSeconds: 60 })}`,
  };
  let total = 0;
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const query = new URLSearchParams({ port, limit: '100', ...(nextToken ? { nextToken } : {}) });
    const res = await fetch(`${httpUrl}/v1/devices?${query}`, { headers });
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    if (!isDevicePage(body)) return undefined;
    for (const d of body.items) total += d.rejected;
    nextToken = body.nextToken;
    if (!nextToken) return total;
  }
  return total;
}

function isDevicePage(v: unknown): v is { items: { rejected: number }[]; nextToken?: string } {
  if (typeof v !== 'object' || v === null || !('items' in v) || !Array.isArray(v.items)) return false;
  const token = 'nextToken' in v ? v.nextToken : undefined;
  return (
    (token === undefined || typeof token === 'string') &&
    v.items.every(
      (i: unknown) => typeof i === 'object' && i !== null && 'rejected' in i && typeof i.rejected === 'number',
    )
  );
}
