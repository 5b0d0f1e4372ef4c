import type { DeviceClass, PortCode } from '../../../events/v1';
import type { Alert, ContainerOnVisit, DeadLetter, DeviceHealth, EquipmentStatus, TrackPoint } from '../model';

/**
 * What one device message means for the port's database, decided purely (no I/O) by `planIngest`.
 * The ingest use case applies these projections idempotently and records the message in the log afterwards.
 */
export type Projection =
  | VesselPositionProjection
  | VesselStaticProjection
  | GateTransactionProjection
  | AlertProjection
  | EquipmentProjection;

export interface VesselPositionProjection {
  type: 'vessel.position';
  mmsi: number;
  position: TrackPoint & { heading?: number; navStatus?: number; aisClass: 'A' | 'B' };
}

export interface VesselStaticProjection {
  type: 'vessel.static';
  mmsi: number;
  observedAt: string;
  fields: {
    imo?: number;
    name?: string;
    callsign?: string;
    shipType?: number;
    destination?: string;
    aisClass?: 'A' | 'B';
  };
}

export interface GateTransactionProjection {
  type: 'gate.transaction';
  laneId: string;
  direction: 'in' | 'out';
  plate: string;
  containers: ContainerOnVisit[];
  observedAt: string;
  /** Deterministic id for the visit a gate-in opens (derived from the device and messageId). */
  visitIdIfNew: string;
}

export interface AlertProjection {
  type: 'alert';
  alert: Alert;
}

export interface EquipmentProjection {
  type: 'equipment.status';
  equipment: EquipmentStatus;
}

/** What a heartbeat says about the device itself; stored with the device's tally in one write. */
export interface DeviceHealthReport {
  health: Exclude<DeviceHealth, 'unknown'>;
  firmware?: string;
  uptimeS?: number;
}

/** Where a message came from: the topic (set by the broker, trusted) rather than anything in the payload. */
export interface MessageSource {
  port: PortCode;
  deviceClass: DeviceClass;
  deviceId: string;
  receivedAt: string;
}

export type IngestPlan =
  | {
      outcome: 'accepted';
      source: MessageSource;
      messageId: string;
      kind: string;
      observedAt: string;
      projections: Projection[];
      deviceHealth?: DeviceHealthReport;
      /** Parts rejected inside an accepted message (e.g. one bad NMEA sentence among good ones). */
      deadLetters: DeadLetter[];
    }
  | {
      outcome: 'rejected';
      /** Undefined only when even the stream record was unreadable. */
      source: MessageSource | undefined;
      /** Stable per rejected content, so a re-delivery is recognised. */
      dedupeKey: string;
      deadLetter: DeadLetter;
    };
