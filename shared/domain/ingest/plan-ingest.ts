import type { DeviceEvent, EquipmentTelemetry, GateTransaction, NiiScan, RpmScan } from '../../../events/v1';
import { decodeAisSentences } from '../ais/ais-decoder';
import { checkDigitValid, normaliseContainerRead } from '../container-number';
import { KouanError, RejectedMessageError } from '../errors';
import { contentHash, MessageIds, stableId } from '../ids';
import type { Alert, DeadLetter, DeadLetterReason } from '../model';
import { assessOccupancy } from '../radiation';
import { vesselProjections } from '../vessel-projections';
import type { DeviceHealthReport, IngestPlan, MessageSource, Projection } from './ingest-plan';
import { parseDevicePayload, unwrapStreamRecord } from './parse-device-message';

/** Bytes of a rejected payload kept in its dead letter: enough to see what arrived, bounded for the table. */
export const DEAD_LETTER_EXCERPT_BYTES = 4096;

/**
 * Decides what one Kinesis record means: decode, validate, normalise and build the projections. Pure (no I/O,
 * no clock: `arrivedAt` is the stream's arrival time, used only for records too broken to carry their own):
 * the ingest use case executes the plan. Never throws for bad input; bad input becomes a
 * `rejected` plan carrying its dead letter.
 */
export function planIngest(data: Buffer, arrivedAt: string): IngestPlan {
  let unwrapped: ReturnType<typeof unwrapStreamRecord>;
  try {
    unwrapped = unwrapStreamRecord(data);
  } catch (e) {
    const reason = reasonOf(e);
    const dedupeKey = `rejected:${contentHash(data)}`;
    return {
      outcome: 'rejected',
      source: undefined,
      dedupeKey,
      deadLetter: {
        id: stableId('DL-', 'unknown', dedupeKey),
        deviceId: 'unknown',
        reason,
        receivedAt: arrivedAt,
        excerpt: excerpt(data),
        sizeBytes: data.length,
      },
    };
  }
  const { source, payload, record } = unwrapped;
  let event: DeviceEvent;
  try {
    event = parseDevicePayload(payload, source);
  } catch (e) {
    return rejected(source, payload, record.topic, reasonOf(e), messageIdOf(payload));
  }
  try {
    return accepted(source, event, record.topic);
  } catch (e) {
    return rejected(source, payload, record.topic, reasonOf(e), event.messageId);
  }
}

function accepted(source: MessageSource, event: DeviceEvent, topic: string): IngestPlan {
  const projections: Projection[] = [];
  const deadLetters: DeadLetter[] = [];
  let deviceHealth: DeviceHealthReport | undefined;
  const { messageId, observedAt } = event;
  const ids = new MessageIds(source.deviceId, messageId);
  const m: MessageContext = { source, observedAt, ids };
  switch (event.kind) {
    case 'ais.nmea': {
      const { messages, rejected } = decodeAisSentences(event.payload.sentences);
      if (messages.length === 0) {
        throw new RejectedMessageError(
          'AIS_NO_VALID_SENTENCE',
          `none of the ${event.payload.sentences.length} sentences could be decoded`,
          rejected.map((r) => ({ index: r.index, code: r.code, message: r.message })),
        );
      }
      for (const r of rejected) {
        deadLetters.push({
          id: ids.deadLetter(r.index),
          port: source.port,
          deviceId: source.deviceId,
          deviceClass: source.deviceClass,
          messageId,
          topic,
          reason: { code: r.code, message: `sentence ${r.index}: ${r.message}` },
          receivedAt: source.receivedAt,
          excerpt: r.sentence.slice(0, 200),
          sizeBytes: Buffer.byteLength(r.sentence),
        });
      }
      // One publish shares one observedAt: keep each vessel's last report (sentences are in receive order) and
      // merge its static fields, so one message gives one update per vessel.
      const byVessel = new Map<string, Projection>();
      for (const decoded of messages) {
        for (const v of vesselProjections(decoded.message, observedAt)) {
          const key = `${v.type}:${v.mmsi}`;
          const prev = byVessel.get(key);
          if (prev?.type === 'vessel.static' && v.type === 'vessel.static') {
            byVessel.set(key, { ...v, fields: { ...prev.fields, ...v.fields } });
          } else {
            byVessel.set(key, v);
          }
        }
      }
      projections.push(...byVessel.values());
      break;
    }
    case 'gate.transaction':
      projections.push(...planGate(m, event.payload));
      break;
    case 'rpm.scan':
      projections.push(...planRpm(m, event.payload));
      break;
    case 'nii.scan':
      projections.push(...planNii(m, event.payload));
      break;
    case 'equipment.telemetry':
      projections.push(...planEquipment(m, event.payload));
      break;
    case 'device.heartbeat':
      deviceHealth = {
        health: event.payload.health,
        uptimeS: event.payload.uptimeS,
        ...(event.payload.firmware ? { firmware: event.payload.firmware } : {}),
      };
      break;
  }
  return {
    outcome: 'accepted',
    source,
    messageId,
    kind: event.kind,
    observedAt,
    projections,
    deadLetters,
    ...(deviceHealth ? { deviceHealth } : {}),
  };
}

/** What the per-kind planners need to know about the message they plan for. */
interface MessageContext {
  source: MessageSource;
  observedAt: string;
  ids: MessageIds;
}

function alert(m: MessageContext, a: Pick<Alert, 'type' | 'severity' | 'subject' | 'evidence'>, n = 0): Projection {
  return {
    type: 'alert',
    alert: {
      alertId: m.ids.alert(a.type, n),
      port: m.source.port,
      deviceId: m.source.deviceId,
      observedAt: m.observedAt,
      ...a,
    },
  };
}

function planGate(m: MessageContext, p: GateTransaction): Projection[] {
  const containers = p.containers.map((read) => {
    const number = normaliseContainerRead(read);
    return { number, checkDigitValid: checkDigitValid(number) };
  });
  const plate = p.plate.toUpperCase().replace(/\s+/g, '');
  const out: Projection[] = [
    {
      type: 'gate.transaction',
      laneId: p.laneId,
      direction: p.direction,
      plate,
      containers,
      observedAt: m.observedAt,
      visitIdIfNew: m.ids.visit(),
    },
  ];
  containers.forEach((c, i) => {
    if (!c.checkDigitValid) {
      out.push(
        alert(
          m,
          {
            type: 'gate.container.invalid',
            severity: 'low',
            subject: { kind: 'container', id: c.number },
            evidence: {
              read: p.containers[i],
              plate,
              laneId: p.laneId,
              direction: p.direction,
              ocrConfidence: p.ocrConfidence,
              why: 'ISO 6346 check digit does not match: an OCR misread or a false number',
            },
          },
          i,
        ),
      );
    }
  });
  return out;
}

function planRpm(m: MessageContext, p: RpmScan): Projection[] {
  const a = assessOccupancy(p);
  if (!a.alarm) return [];
  const container = p.containers?.[0];
  const subject: Alert['subject'] = container
    ? { kind: 'container', id: normaliseContainerRead(container) }
    : p.plate
      ? { kind: 'truck', id: p.plate }
      : { kind: 'occupancy', id: p.occupancyId };
  return [
    alert(m, {
      type: 'rpm.alarm',
      severity: a.probableNorm ? 'medium' : 'high',
      subject,
      evidence: {
        laneId: p.laneId,
        occupancyId: p.occupancyId,
        plate: p.plate,
        containers: p.containers?.map(normaliseContainerRead) ?? [],
        gamma: a.gamma,
        neutron: a.neutron,
        probableNorm: a.probableNorm,
        next: 'secondary inspection',
      },
    }),
  ];
}

function planNii(m: MessageContext, p: NiiScan): Projection[] {
  if (p.result !== 'anomaly') return [];
  const container = p.containers[0];
  return [
    alert(m, {
      type: 'nii.anomaly',
      severity: 'high',
      subject: container
        ? { kind: 'container', id: normaliseContainerRead(container) }
        : { kind: 'truck', id: p.plate ?? p.scanId },
      evidence: {
        scanId: p.scanId,
        containers: p.containers.map(normaliseContainerRead),
        plate: p.plate,
        anomalies: p.anomalies ?? [],
        imageRef: p.imageRef,
      },
    }),
  ];
}

function planEquipment(m: MessageContext, p: EquipmentTelemetry): Projection[] {
  const out: Projection[] = [
    {
      type: 'equipment.status',
      equipment: {
        port: m.source.port,
        equipmentId: p.equipmentId,
        type: p.type,
        status: p.status,
        ...(p.faultCode ? { faultCode: p.faultCode } : {}),
        ...(p.moves !== undefined ? { moves: p.moves } : {}),
        observedAt: m.observedAt,
        deviceId: m.source.deviceId,
      },
    },
  ];
  if (p.status === 'fault') {
    out.push(
      alert(m, {
        type: 'equipment.fault',
        severity: 'medium',
        subject: { kind: 'equipment', id: p.equipmentId },
        evidence: { equipmentType: p.type, faultCode: p.faultCode },
      }),
    );
  }
  return out;
}

function rejected(
  source: MessageSource,
  payload: Buffer,
  topic: string,
  reason: DeadLetterReason,
  messageId: string | undefined,
): IngestPlan {
  // Keyed by content, not by messageId: the same garbage re-delivered is one dead letter, while a corrected
  // message re-sent under the same messageId is still accepted.
  const dedupeKey = `rejected:${contentHash(payload)}`;
  return {
    outcome: 'rejected',
    source,
    dedupeKey,
    deadLetter: {
      id: stableId('DL-', source.deviceId, dedupeKey),
      port: source.port,
      deviceId: source.deviceId,
      deviceClass: source.deviceClass,
      ...(messageId ? { messageId } : {}),
      topic,
      reason,
      receivedAt: source.receivedAt,
      excerpt: excerpt(payload),
      sizeBytes: payload.length,
    },
  };
}

function reasonOf(e: unknown): DeadLetterReason {
  if (e instanceof KouanError) {
    return { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) };
  }
  // Anything else is a defect in a decoder; it is still dead-lettered (never lost) with what we know.
  return { code: 'DECODER_ERROR', message: e instanceof Error ? e.message : String(e) };
}

function messageIdOf(payload: Buffer): string | undefined {
  try {
    const id = (JSON.parse(payload.toString('utf8')) as { messageId?: unknown }).messageId;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

function excerpt(bytes: Buffer): string {
  return bytes.subarray(0, DEAD_LETTER_EXCERPT_BYTES).toString('utf8');
}
