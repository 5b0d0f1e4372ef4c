import type { DeviceEvent } from '../../events/v1';
import type { SimulatedDevice } from './fleet';

/** One MQTT publish the simulator makes: who publishes, where, and what. */
export interface SimulatedPublish {
  topic: string;
  /** The publishing device's MQTT client id, which is its device id (the broker allows nothing else). */
  clientId: string;
  envelope: DeviceEvent;
}

/** An envelope without the fields the outbox stamps: the kind and the payload, kept correlated per kind. */
export type EventBody = DeviceEvent extends infer E
  ? E extends DeviceEvent
    ? Omit<E, 'messageId' | 'observedAt'>
    : never
  : never;

/**
 * `{deviceId}-{runId}-{seq}`: seq counts 1, 2, 3… per device so loss and reordering are measurable downstream; the
 * run id (start time, base 36) keeps a restarted simulator from reusing ids the platform has already de-duplicated.
 */
export function simulatedMessageId(deviceId: string, runId: string, seq: number): string {
  return `${deviceId}-${runId}-${seq}`;
}

/** The per-device sequence number of a simulated message id, or `undefined` for another format. */
export function sequenceOf(messageId: string): number | undefined {
  const seq = Number(messageId.slice(messageId.lastIndexOf('-') + 1));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

/**
 * Stamps message ids and observation times and collects what the devices publish, in time order. What happens
 * during the warm-up (before `publishFromMs`) is dropped unnumbered, so every device's first message is seq 1.
 */
export class Outbox {
  private readonly seqs = new Map<string, number>();
  private pending: SimulatedPublish[] = [];

  constructor(
    readonly runId: string,
    private readonly publishFromMs: number,
  ) {}

  emit(device: SimulatedDevice, atMs: number, body: EventBody): void {
    if (atMs < this.publishFromMs) return;
    const seq = (this.seqs.get(device.deviceId) ?? 0) + 1;
    this.seqs.set(device.deviceId, seq);
    const envelope: DeviceEvent = {
      messageId: simulatedMessageId(device.deviceId, this.runId, seq),
      observedAt: new Date(atMs).toISOString(),
      ...body,
    };
    this.pending.push({ topic: device.topic, clientId: device.deviceId, envelope });
  }

  /** Takes everything emitted since the last drain. */
  drain(): SimulatedPublish[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Messages emitted so far, per device id. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.seqs);
  }
}
