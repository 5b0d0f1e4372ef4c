import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { applyTopicRule } from '../../shared/platform/topic-rule';

let sequence = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

export interface Publish {
  topic: string;
  /** An object is sent as JSON; a string or Buffer as raw bytes (garbage tests). */
  payload: unknown;
  clientId?: string;
  receivedAt?: number;
}

/**
 * Builds a real-shaped Kinesis event (as Lambda delivers it, see ../shared/realdata/lambda-events) from device
 * publishes, passing each through the same topic rule the cloud uses.
 */
export function kinesisEvent(publishes: readonly Publish[]): KinesisStreamEvent {
  return { Records: publishes.map(kinesisRecord) };
}

export function kinesisRecord(p: Publish): KinesisStreamRecord {
  const bytes = Buffer.isBuffer(p.payload)
    ? p.payload
    : typeof p.payload === 'string'
      ? Buffer.from(p.payload)
      : Buffer.from(JSON.stringify(p.payload));
  const receivedAt = p.receivedAt ?? Date.now();
  const routed = applyTopicRule(p.topic, bytes, p.clientId, receivedAt);
  if (!routed) throw new Error(`topic ${p.topic} does not match the topic rule`);
  sequence += 1n;
  return rawKinesisRecord(routed.partitionKey, Buffer.from(JSON.stringify(routed.record)), receivedAt);
}

/** A record with arbitrary data, as if something other than the topic rule had written to the stream. */
export function rawKinesisRecord(partitionKey: string, data: Buffer, arrivedAt = Date.now()): KinesisStreamRecord {
  sequence += 1n;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber: sequence.toString(),
      data: data.toString('base64'),
      approximateArrivalTimestamp: arrivedAt / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequence}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/kouan-ingest',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/kouan-device-events',
  };
}
