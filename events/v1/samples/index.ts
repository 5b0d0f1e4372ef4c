import { DeviceEvent, type DeviceEventKind } from '../device-events';
import aisNmea from './ais.nmea.json';
import deviceHeartbeat from './device.heartbeat.json';
import equipmentTelemetryFault from './equipment.telemetry.fault.json';
import equipmentTelemetryOperating from './equipment.telemetry.operating.json';
import gateTransactionIn from './gate.transaction.in.json';
import gateTransactionOut from './gate.transaction.out.json';
import niiScanAnomaly from './nii.scan.anomaly.json';
import niiScanClear from './nii.scan.clear.json';
import rpmScanAlarm from './rpm.scan.alarm.json';
import rpmScanClear from './rpm.scan.clear.json';

/**
 * Sample device events, v1: one complete envelope per file, as a device publishes it (the topic is not part of
 * the envelope). Used by tests, the port simulator and docs/events.md.
 *
 * Provenance: the AIS sentences are real receiver traffic from GPSD's test suite (github.com/ntpsec/gpsd
 * test/sample.aivdm @46977faa, BSD-2-Clause): a two-part type 5 (EVER DIADEM, MMSI 351759000) and a type 1
 * position report (MMSI 371798000). Container numbers are real ISO 6346 numbers with valid check digits from
 * test/fixtures/iso6346.json (see test/fixtures/README.md); one gate read keeps the spaces an OCR prints. The other
 * values are made up but plausible.
 */

/** The raw JSON of each sample file, keyed by its file name without `.json`, exactly as a device would send it. */
export const RAW_SAMPLES = {
  'ais.nmea': aisNmea,
  'gate.transaction.in': gateTransactionIn,
  'gate.transaction.out': gateTransactionOut,
  'rpm.scan.clear': rpmScanClear,
  'rpm.scan.alarm': rpmScanAlarm,
  'nii.scan.clear': niiScanClear,
  'nii.scan.anomaly': niiScanAnomaly,
  'equipment.telemetry.operating': equipmentTelemetryOperating,
  'equipment.telemetry.fault': equipmentTelemetryFault,
  'device.heartbeat': deviceHeartbeat,
} as const;

export type SampleName = keyof typeof RAW_SAMPLES;

type EventOf<K extends DeviceEventKind> = Extract<DeviceEvent, { kind: K }>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a sample through the contract's own schema so a wrong sample fails loudly at import instead of
 * teaching the simulator or a test something the platform refuses.
 */
function sample<K extends DeviceEventKind>(kind: K, raw: unknown): EventOf<K> {
  const event = DeviceEvent.parse(raw);
  if (event.kind !== kind) throw new Error(`sample of kind ${event.kind} filed under ${kind}`);
  // The check above is what narrows; TypeScript cannot carry it through the generic.
  return deepFreeze(event as EventOf<K>);
}

/**
 * The samples, parsed and typed by kind. Frozen, since tests and the simulator share them: copy before changing
 * (`structuredClone(SAMPLES['gate.transaction.in'])`).
 */
export const SAMPLES = {
  'ais.nmea': sample('ais.nmea', RAW_SAMPLES['ais.nmea']),
  'gate.transaction.in': sample('gate.transaction', RAW_SAMPLES['gate.transaction.in']),
  'gate.transaction.out': sample('gate.transaction', RAW_SAMPLES['gate.transaction.out']),
  'rpm.scan.clear': sample('rpm.scan', RAW_SAMPLES['rpm.scan.clear']),
  'rpm.scan.alarm': sample('rpm.scan', RAW_SAMPLES['rpm.scan.alarm']),
  'nii.scan.clear': sample('nii.scan', RAW_SAMPLES['nii.scan.clear']),
  'nii.scan.anomaly': sample('nii.scan', RAW_SAMPLES['nii.scan.anomaly']),
  'equipment.telemetry.operating': sample('equipment.telemetry', RAW_SAMPLES['equipment.telemetry.operating']),
  'equipment.telemetry.fault': sample('equipment.telemetry', RAW_SAMPLES['equipment.telemetry.fault']),
  'device.heartbeat': sample('device.heartbeat', RAW_SAMPLES['device.heartbeat']),
} as const satisfies Record<SampleName, DeviceEvent>;

/** The samples of one kind, in a stable order (e.g. for the simulator to pick from). */
export function samplesOfKind<K extends DeviceEventKind>(kind: K): EventOf<K>[] {
  return Object.values(SAMPLES).filter((s): s is EventOf<K> => s.kind === kind);
}
