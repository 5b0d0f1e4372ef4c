import type { KinesisStreamRecord } from 'aws-lambda';
import type { DeviceClass } from '../events/v1';
import { eventsTopic } from '../events/v1';
import { RAW_SAMPLES, type SampleName } from '../events/v1/samples';
import { applyTopicRule } from '../shared/platform/topic-rule';

/**
 * A port's device traffic by share of messages (AIS and heartbeats dominate; alarms are rare), built from the
 * contract's sample events with fresh messageIds: what the ingest benchmark feeds the handler.
 */
const MIX: readonly { sample: SampleName; deviceClass: DeviceClass; weight: number }[] = [
  { sample: 'ais.nmea', deviceClass: 'ais', weight: 35 },
  { sample: 'device.heartbeat', deviceClass: 'gate', weight: 20 },
  { sample: 'gate.transaction.in', deviceClass: 'gate', weight: 8 },
  { sample: 'gate.transaction.out', deviceClass: 'gate', weight: 8 },
  { sample: 'rpm.scan.clear', deviceClass: 'rpm', weight: 9 },
  { sample: 'rpm.scan.alarm', deviceClass: 'rpm', weight: 1 },
  { sample: 'nii.scan.clear', deviceClass: 'nii', weight: 4 },
  { sample: 'nii.scan.anomaly', deviceClass: 'nii', weight: 1 },
  { sample: 'equipment.telemetry.operating', deviceClass: 'equipment', weight: 13 },
  { sample: 'equipment.telemetry.fault', deviceClass: 'equipment', weight: 1 },
];

export function trafficRecords(count: number, port = 'CNSGH'): KinesisStreamRecord[] {
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const records: KinesisStreamRecord[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    // A fixed stride through the weights: deterministic, and every share appears in every 100 messages.
    let pick = (i * 7919) % total;
    let m = MIX[0];
    for (const x of MIX) {
      pick -= x.weight;
      if (pick < 0) {
        m = x;
        break;
      }
    }
    if (!m) throw new Error('empty mix');
    const deviceId = `${m.deviceClass}-${(i % 16).toString().padStart(2, '0')}`;
    const envelope = {
      ...RAW_SAMPLES[m.sample],
      messageId: `${deviceId}-${i}`,
      observedAt: new Date(now - 1000).toISOString(),
    };
    const routed = applyTopicRule(
      eventsTopic({ port, deviceClass: m.deviceClass, deviceId }),
      Buffer.from(JSON.stringify(envelope)),
      deviceId,
      now,
    );
    if (!routed) throw new Error('topic rule did not route a benchmark message');
    records.push({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: routed.partitionKey,
        sequenceNumber: String(49_600_000_000_000 + i),
        data: Buffer.from(JSON.stringify(routed.record)).toString('base64'),
        approximateArrivalTimestamp: now / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${49_600_000_000_000 + i}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/bench',
    });
  }
  return records;
}
