import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { commandsTopic, DeviceId, parseEventsTopic, type StreamRecord } from '../events/v1';
import { applyTopicRule } from '../shared/platform/topic-rule';
import { listenOnLoopback } from './loopback';

/**
 * The local AWS IoT Core: an embedded MQTT 3.1.1 broker (aedes) on 127.0.0.1 that enforces what the IoT policy
 * enforces in the cloud and plays the topic rule on every accepted publish.
 * - CONNECT: the client id must be a device id (the thing name); an empty id is refused (IoT Core needs one).
 * - PUBLISH: only to `kouan/v1/{port}/{class}/{ownClientId}/events`. Anything else is refused: aedes then closes
 *   the connection without a PUBACK (MQTT 3.1.1 has no negative PUBACK), which is also what IoT Core does to a
 *   publish its policy denies.
 * - SUBSCRIBE: only to the device's own `…/commands` topic; anything else gets SUBACK failure (0x80).
 * Accepted publishes go through `applyTopicRule` (the same definition the CDK app deploys) to `onRecord`.
 */

/**
 * Largest payload the broker takes at all. Larger than the contract's 128 KB on purpose: payloads between the two
 * reach the ingest function, which dead-letters them with their reason, as the cloud does. Above this one the
 * base64 record would not fit a Kinesis record (1 MiB), so the publish is refused here and logged.
 */
export const BROKER_MAX_PAYLOAD_BYTES = 640 * 1024;

export interface BrokerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Receives the topic rule's output for each accepted publish. Throwing refuses the publish (logged). */
  onRecord: (partitionKey: string, record: StreamRecord) => void;
  log?: (message: string) => void;
}

export interface BrokerStats {
  connected: number;
  /** Publishes that reached the topic rule. */
  accepted: number;
  /** Publishes and connects refused by the policy checks. */
  refused: number;
}

export interface Broker {
  port: number;
  url: string;
  stats(): BrokerStats;
  /** Publishes from the platform (a command to a device), as AWS IoT Core's data plane does in the cloud. */
  publish(topic: string, payload: Buffer, qos: 0 | 1): Promise<void>;
  /**
   * First step of a shutdown: refuse new connections and device publishes, so the stream can drain, while commands
   * from the ingest function still go out until `stop()`.
   */
  closeIntake(): Promise<void>;
  stop(): Promise<void>;
}

class PolicyError extends Error {
  readonly code = 'NOT_AUTHORIZED';
}

/** Starts the broker; resolves once it listens. */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const log = options.log ?? (() => {});
  const counts = { accepted: 0, refused: 0 };
  // The client id as the device sent it: aedes replaces an empty one with a generated id before `authenticate`.
  const requestedIds = new WeakMap<Client, string>();

  const aedes = await Aedes.createBroker({
    // A device that stops reading must not stall delivery of commands to every other device.
    drainTimeout: 10_000,
    preConnect: (client, packet, done) => {
      requestedIds.set(client, packet.clientId);
      done(null, true);
    },
    authenticate: (client, _username, _password, done) => {
      const requested = requestedIds.get(client) ?? '';
      if (DeviceId.safeParse(requested).success) return done(null, true);
      counts.refused++;
      log(`refused connection: client id "${requested}" is not a device id (^[A-Za-z0-9_-]{1,64}$)`);
      // returnCode 2: CONNACK "identifier rejected", so the device learns why.
      const error: AuthenticateError = Object.assign(new PolicyError('client id must be a device id'), {
        returnCode: 2,
      });
      done(error, false);
    },
    authorizePublish: (client, packet, done) => {
      const refusal = intakeClosed
        ? 'the platform is stopping'
        : publishRefusal(client, packet.topic, payloadBytes(packet.payload));
      if (!refusal) return done(null);
      counts.refused++;
      log(`refused publish from ${client?.id ?? '(broker)'} to ${packet.topic}: ${refusal}; connection closed`);
      done(new PolicyError(refusal));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const own = ownCommandsTopic(client, subscription.topic);
      if (own) return done(null, subscription);
      log(`refused subscription of ${client.id} to ${subscription.topic}: only its own …/commands topic`);
      done(null, null);
    },
    published: (packet, client, done) => {
      // Broker-internal messages ($SYS heartbeats) have no client and are not device traffic.
      if (!client) return done(null);
      const routed = applyTopicRule(packet.topic, toBuffer(packet.payload), client.id, Date.now());
      if (!routed) return done(null);
      try {
        options.onRecord(routed.partitionKey, routed.record);
        counts.accepted++;
      } catch (e) {
        // QoS 1 was already acknowledged (aedes sends PUBACK before this hook), so say loudly what was not routed.
        counts.refused++;
        log(`could not route publish from ${client.id} to the stream: ${(e as Error).message}`);
      }
      done(null);
    },
  });

  let intakeClosed = false;
  let serverClosed: Promise<void> | undefined;
  const server: Server = createServer((socket) => aedes.handle(socket));
  const port = await listenOnLoopback(server, options.port);

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stats: () => ({ connected: aedes.connectedClients, ...counts }),
    publish: (topic, payload, qos) =>
      new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (e) =>
          e ? reject(e) : resolve(),
        ),
      ),
    closeIntake: async () => {
      intakeClosed = true;
      // Stop accepting connections now; the promise settles once the connected devices are gone (in stop()).
      serverClosed ??= new Promise<void>((resolve) => server.close(() => resolve()));
    },
    stop: async () => {
      intakeClosed = true;
      serverClosed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await serverClosed;
    },
  };
}

/** Why the policy refuses this publish, or undefined when it allows it. */
function publishRefusal(client: Client | null, topic: string, bytes: number): string | undefined {
  if (!client) return 'no client';
  const t = parseEventsTopic(topic);
  if (!t) return 'not a device events topic (kouan/v1/{port}/{class}/{deviceId}/events)';
  if (t.deviceId !== client.id) return `a device publishes only under its own id (client id is ${client.id})`;
  if (bytes > BROKER_MAX_PAYLOAD_BYTES) return `payload of ${bytes} bytes exceeds ${BROKER_MAX_PAYLOAD_BYTES}`;
  return undefined;
}

function ownCommandsTopic(client: Client, topic: string): boolean {
  const parts = topic.split('/');
  const events = parseEventsTopic([...parts.slice(0, 5), 'events'].join('/'));
  return parts.length === 6 && !!events && events.deviceId === client.id && commandsTopic(events) === topic;
}

function toBuffer(payload: Buffer | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload) : payload;
}

function payloadBytes(payload: Buffer | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
}
