import * as z from 'zod';
// Direct module imports, not the events/v1 barrel: the barrel also carries the declaration reference tables,
// which the ingest bundle must not load.
import { DeviceEvent, type DeviceEventKind, KINDS_BY_CLASS } from '../../../events/v1/device-events';
import { StreamRecord } from '../../../events/v1/stream-record';
import { MAX_PAYLOAD_BYTES } from '../../../events/v1/topic';
import { RejectedMessageError } from '../errors';
import type { MessageSource } from './ingest-plan';

/** Devices' clocks drift; an observation further in the future than this is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface ParsedMessage {
  source: MessageSource;
  event: DeviceEvent;
}

export interface UnwrappedRecord {
  record: StreamRecord;
  source: MessageSource;
  payload: Buffer;
}

const KNOWN_KINDS = new Set<string>(DeviceEvent.options.map((o) => o.shape.kind.value));

/**
 * Opens a Kinesis record written by the topic rule. Throws `RejectedMessageError` (`STREAM_RECORD_INVALID`) when the
 * record is not one: it did not come through the rule, so nothing in it (not even the device id) can be trusted.
 */
export function unwrapStreamRecord(data: Buffer): UnwrappedRecord {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    throw new RejectedMessageError('STREAM_RECORD_INVALID', 'the stream record is not JSON written by the topic rule');
  }
  const parsed = StreamRecord.safeParse(json);
  if (!parsed.success) {
    throw new RejectedMessageError(
      'STREAM_RECORD_INVALID',
      'the stream record does not have the topic rule shape',
      z.flattenError(parsed.error).fieldErrors,
    );
  }
  const record = parsed.data;
  return {
    record,
    payload: Buffer.from(record.raw, 'base64'),
    source: {
      port: record.port,
      deviceClass: record.deviceClass,
      deviceId: record.deviceId,
      receivedAt: new Date(record.receivedAt).toISOString(),
    },
  };
}

/**
 * Validates a device payload against the v1 contract. Throws `RejectedMessageError` with a stable code and a
 * message an operator can act on; the caller dead-letters it.
 */
export function parseDevicePayload(payload: Buffer, source: MessageSource): DeviceEvent {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new RejectedMessageError(
      'PAYLOAD_TOO_LARGE',
      `payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    throw new RejectedMessageError('INVALID_JSON', `payload is not JSON: ${(e as Error).message}`);
  }
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && !KNOWN_KINDS.has(kind)) {
    throw new RejectedMessageError('UNKNOWN_KIND', `kind "${kind.slice(0, 64)}" is not a v1 device event kind`, {
      known: [...KNOWN_KINDS],
    });
  }
  const parsed = DeviceEvent.safeParse(json);
  if (!parsed.success) {
    throw new RejectedMessageError('SCHEMA_INVALID', z.prettifyError(parsed.error), parsed.error.issues.slice(0, 20));
  }
  const event = parsed.data;
  const allowed: readonly DeviceEventKind[] = KINDS_BY_CLASS[source.deviceClass];
  if (!allowed.includes(event.kind)) {
    throw new RejectedMessageError(
      'KIND_NOT_ALLOWED_FOR_CLASS',
      `a ${source.deviceClass} device may not publish ${event.kind} (allowed: ${allowed.join(', ')})`,
    );
  }
  const observedMs = Date.parse(event.observedAt);
  if (observedMs - Date.parse(source.receivedAt) > MAX_CLOCK_SKEW_MS) {
    throw new RejectedMessageError(
      'OBSERVED_AT_IN_FUTURE',
      `observedAt ${event.observedAt} is more than ${MAX_CLOCK_SKEW_MS / 60000} minutes after the platform received it (${source.receivedAt})`,
    );
  }
  // Stored times are compared as strings: normalise every offset to UTC with milliseconds (`…sssZ`) once, here at
  // the edge. Most devices already send that form; the event is ours (freshly parsed), so set it in place.
  if (event.observedAt.length !== 24 || !event.observedAt.endsWith('Z')) {
    event.observedAt = new Date(observedMs).toISOString();
  }
  return event;
}
