import * as z from 'zod';

/** UN/LOCODE of a port, e.g. `CNSGH` (CONTRACT.md §2). */
export const PortCode = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE such as CNSGH');
export const DeviceClass = z.enum(['ais', 'gate', 'rpm', 'nii', 'equipment']);
/** The IoT thing name; a device may publish only under its own id. */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 of A–Z a–z 0–9 _ -');

export type PortCode = z.infer<typeof PortCode>;
export type DeviceClass = z.infer<typeof DeviceClass>;

/** Largest device payload the platform accepts (AWS IoT Core's own message limit). */
export const MAX_PAYLOAD_BYTES = 128 * 1024;

export interface DeviceTopic {
  port: PortCode;
  deviceClass: DeviceClass;
  deviceId: string;
}

/** `kouan/v1/{portCode}/{deviceClass}/{deviceId}/events` */
export const eventsTopic = (t: DeviceTopic): string => `kouan/v1/${t.port}/${t.deviceClass}/${t.deviceId}/events`;

/** `kouan/v1/{portCode}/{deviceClass}/{deviceId}/commands` (platform → device, e.g. gate open/hold). */
export const commandsTopic = (t: DeviceTopic): string => `kouan/v1/${t.port}/${t.deviceClass}/${t.deviceId}/commands`;

/** Parses a device events topic; `undefined` when it is not one. */
export function parseEventsTopic(topic: string): DeviceTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 6 || parts[0] !== 'kouan' || parts[1] !== 'v1' || parts[5] !== 'events') return undefined;
  const port = PortCode.safeParse(parts[2]);
  const deviceClass = DeviceClass.safeParse(parts[3]);
  const deviceId = DeviceId.safeParse(parts[4]);
  if (!port.success || !deviceClass.success || !deviceId.success) return undefined;
  return { port: port.data, deviceClass: deviceClass.data, deviceId: deviceId.data };
}
