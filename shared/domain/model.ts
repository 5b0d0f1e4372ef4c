import type { DeviceClass, PortCode } from '../../events/v1';

/**
 * Read models of the port's "one database": the shapes the API returns (CONTRACT.md §3). The adapters store and
 * load them; the domain builds them.
 */

export interface TrackPoint {
  lat: number;
  lon: number;
  sog?: number;
  cog?: number;
  observedAt: string;
}

export interface Vessel {
  mmsi: number;
  port: PortCode;
  imo?: number;
  name?: string;
  callsign?: string;
  shipType?: number;
  destination?: string;
  /** Position fields are absent until the first position report arrives (static data may come first). */
  lat?: number;
  lon?: number;
  sog?: number;
  cog?: number;
  heading?: number;
  navStatus?: number;
  aisClass?: 'A' | 'B';
  /** Time of the latest position report. */
  observedAt?: string;
  /** Time of the latest static/voyage report. */
  staticObservedAt?: string;
  track?: TrackPoint[];
}

export interface ContainerOnVisit {
  number: string;
  checkDigitValid: boolean;
}

export interface GateVisit {
  visitId: string;
  port: PortCode;
  plate: string;
  laneIn?: string;
  inAt?: string;
  laneOut?: string;
  outAt?: string;
  containers: ContainerOnVisit[];
  /** `in-yard` after gate-in, `completed` after gate-out; `out-only` when no gate-in was seen for the exit. */
  status: 'in-yard' | 'completed' | 'out-only';
}

export type DeviceHealth = 'ok' | 'degraded' | 'fault' | 'unknown';

export interface Device {
  deviceId: string;
  port: PortCode;
  deviceClass: DeviceClass;
  lastSeenAt: string;
  health: DeviceHealth;
  accepted: number;
  rejected: number;
  firmware?: string;
  uptimeS?: number;
}

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface Alert {
  alertId: string;
  port: PortCode;
  /** e.g. `rpm.alarm`, `nii.anomaly`, `gate.container.invalid`, `equipment.fault`. */
  type: string;
  severity: AlertSeverity;
  subject: { kind: 'container' | 'truck' | 'vessel' | 'equipment' | 'device' | 'occupancy'; id: string };
  observedAt: string;
  deviceId: string;
  evidence: Record<string, unknown>;
}

export interface EquipmentStatus {
  port: PortCode;
  equipmentId: string;
  type: string;
  status: 'operating' | 'idle' | 'fault' | 'maintenance';
  faultCode?: string;
  moves?: number;
  observedAt: string;
  deviceId: string;
}

export interface DeadLetterReason {
  /** Stable machine-readable code, e.g. `INVALID_JSON`, `SCHEMA_INVALID`, `NMEA_BAD_CHECKSUM`. */
  code: string;
  message: string;
  details?: unknown;
}

export interface DeadLetter {
  /** Deterministic (hash of what was rejected), so a re-delivered record is stored once. */
  id: string;
  port?: string;
  deviceId: string;
  deviceClass?: string;
  messageId?: string;
  topic?: string;
  reason: DeadLetterReason;
  /** When the broker received the message (ISO-8601). */
  receivedAt: string;
  /** The rejected bytes (UTF-8, cut to a readable size) so an operator can see what arrived. */
  excerpt: string;
  sizeBytes: number;
}
