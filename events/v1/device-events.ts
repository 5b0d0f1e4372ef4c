import * as z from 'zod';

/**
 * Device event schemas, v1 (CONTRACT.md §2). These are the types: everything downstream uses `z.infer`.
 * Objects are strict: a field the contract does not know is an error, so typos surface at the device.
 */

/** ISO-8601 with an offset (`Z` or `+08:00`): when the device saw it. */
export const ObservedAt = z.iso.datetime({ offset: true });

export const MessageId = z.string().min(1).max(128);

/** A container number as the OCR read it; validity (ISO 6346 check digit) is judged by the platform, not here. */
export const ContainerRead = z
  .string()
  .max(16)
  .regex(/^[A-Za-z0-9 ]{1,16}$/, 'letters and digits as read');

export const AisNmea = z.strictObject({
  sentences: z.array(z.string().min(1).max(200)).min(1).max(100),
});

export const GateTransaction = z.strictObject({
  laneId: z.string().min(1).max(32),
  direction: z.enum(['in', 'out']),
  plate: z.string().min(1).max(16),
  plateCountry: z.string().length(2).optional(),
  containers: z.array(ContainerRead).max(4),
  ocrConfidence: z.number().min(0).max(1),
  grossWeightKg: z.number().nonnegative().max(200_000).optional(),
  driverId: z.string().min(1).max(64).optional(),
});

const Cps = z.number().nonnegative().max(1e9);

export const RpmScan = z.strictObject({
  laneId: z.string().min(1).max(32),
  occupancyId: z.string().min(1).max(64),
  gammaCps: z.array(Cps).min(1).max(2000),
  gammaBackgroundCps: Cps,
  neutronCps: z.array(Cps).max(2000),
  neutronBackgroundCps: Cps,
  plate: z.string().min(1).max(16).optional(),
  containers: z.array(ContainerRead).max(4).optional(),
});

export const NiiScan = z.strictObject({
  scanId: z.string().min(1).max(64),
  containers: z.array(ContainerRead).max(4),
  plate: z.string().min(1).max(16).optional(),
  result: z.enum(['clear', 'anomaly']),
  anomalies: z
    .array(z.strictObject({ code: z.string().min(1).max(64), confidence: z.number().min(0).max(1) }))
    .max(50)
    .optional(),
  imageRef: z.string().min(1).max(256).optional(),
});

export const EquipmentTelemetry = z.strictObject({
  equipmentId: z.string().min(1).max(64),
  // Open list in the contract ("…"): known types are documented, others accepted as given.
  type: z.string().min(1).max(32),
  status: z.enum(['operating', 'idle', 'fault', 'maintenance']),
  faultCode: z.string().min(1).max(64).optional(),
  moves: z.number().int().nonnegative().optional(),
});

export const DeviceHeartbeat = z.strictObject({
  uptimeS: z.number().nonnegative(),
  firmware: z.string().min(1).max(64).optional(),
  health: z.enum(['ok', 'degraded', 'fault']),
});

const envelopeOf = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.strictObject({ messageId: MessageId, observedAt: ObservedAt, kind: z.literal(kind), payload });

/** The envelope every device publishes, discriminated by `kind`. */
export const DeviceEvent = z.discriminatedUnion('kind', [
  envelopeOf('ais.nmea', AisNmea),
  envelopeOf('gate.transaction', GateTransaction),
  envelopeOf('rpm.scan', RpmScan),
  envelopeOf('nii.scan', NiiScan),
  envelopeOf('equipment.telemetry', EquipmentTelemetry),
  envelopeOf('device.heartbeat', DeviceHeartbeat),
]);

export type DeviceEvent = z.infer<typeof DeviceEvent>;
export type DeviceEventKind = DeviceEvent['kind'];
export type AisNmea = z.infer<typeof AisNmea>;
export type GateTransaction = z.infer<typeof GateTransaction>;
export type RpmScan = z.infer<typeof RpmScan>;
export type NiiScan = z.infer<typeof NiiScan>;
export type EquipmentTelemetry = z.infer<typeof EquipmentTelemetry>;
export type DeviceHeartbeat = z.infer<typeof DeviceHeartbeat>;

/** Which device classes may publish which kinds (a heartbeat comes from any class). */
export const KINDS_BY_CLASS = {
  ais: ['ais.nmea', 'device.heartbeat'],
  gate: ['gate.transaction', 'device.heartbeat'],
  rpm: ['rpm.scan', 'device.heartbeat'],
  nii: ['nii.scan', 'device.heartbeat'],
  equipment: ['equipment.telemetry', 'device.heartbeat'],
} as const satisfies Record<string, readonly DeviceEventKind[]>;
