import * as z from 'zod';
import { DeviceClass, DeviceId, PortCode } from './topic';

/**
 * What the IoT topic rule writes to the Kinesis stream for each device publish (see shared/platform/topic-rule.ts).
 * The payload travels base64-encoded and untouched so that non-JSON garbage still reaches the ingest function
 * (and its dead-letter store) instead of failing inside the rules engine.
 */
export const StreamRecord = z.strictObject({
  /** The device's payload, base64. */
  raw: z.string(),
  topic: z.string().max(256),
  port: PortCode,
  deviceClass: DeviceClass,
  deviceId: DeviceId,
  /** MQTT client id of the publisher (the thing name when the IoT policy holds). */
  clientId: z.string().max(128).optional(),
  /** Broker receive time, epoch ms (IoT SQL `timestamp()`). */
  receivedAt: z.number().int().nonnegative(),
});
export type StreamRecord = z.infer<typeof StreamRecord>;
