import type { DeviceClass } from '../../events/v1';
import { eventsTopic } from '../../events/v1';

/** Small factories for device messages; real samples live in events/v1/samples. */
export const PORT = 'CNSGH';

let counter = 0;
export const nextId = (prefix = 'm'): string => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const topicOf = (deviceClass: DeviceClass, deviceId: string, port = PORT) =>
  eventsTopic({ port, deviceClass, deviceId });

export function envelope(kind: string, payload: unknown, overrides: Record<string, unknown> = {}) {
  return { messageId: nextId(), observedAt: new Date().toISOString(), kind, payload, ...overrides };
}

export const gate = (
  direction: 'in' | 'out',
  plate: string,
  containers: string[] = ['CSQU3054383'],
  overrides: Record<string, unknown> = {},
) =>
  envelope(
    'gate.transaction',
    { laneId: direction === 'in' ? 'IN-1' : 'OUT-2', direction, plate, containers, ocrConfidence: 0.97 },
    overrides,
  );

export const heartbeat = (health: 'ok' | 'degraded' | 'fault' = 'ok', overrides: Record<string, unknown> = {}) =>
  envelope('device.heartbeat', { uptimeS: 3600, firmware: '2.4.1', health }, overrides);

export const rpmAlarm = (container = 'MSKU9070323', overrides: Record<string, unknown> = {}) =>
  envelope(
    'rpm.scan',
    {
      laneId: 'RPM-1',
      occupancyId: nextId('occ'),
      gammaCps: [100, 320, 340, 330, 100],
      gammaBackgroundCps: 100,
      neutronCps: [0, 1, 0],
      neutronBackgroundCps: 1,
      plate: 'HU-123',
      containers: [container],
    },
    overrides,
  );

/** Real receiver traffic (gpsd test/sample.aivdm, BSD-2-Clause): a class A position of MMSI 371798000. */
export const AIS_TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
export const ais = (sentences: string[] = [AIS_TYPE1], overrides: Record<string, unknown> = {}) =>
  envelope('ais.nmea', { sentences }, overrides);

/**
 * A declaration body under a reference of its own: a lodger's reference names one declaration (a re-submission of
 * the same body gets that declaration back), so tests that lodge a sample more than once need fresh references.
 */
export const withFreshReference = <T extends { reference: string }>(body: T): T => ({
  ...body,
  reference: nextId(body.reference),
});
