import type { DeviceHealthReport, MessageSource, Projection } from '../domain/ingest/ingest-plan';
import type { DeadLetter } from '../domain/model';

/** State of a message in the message log, the commit point of ingestion. */
export type CommitResult = 'new' | 'pending' | 'applied';

export interface MessageLogEntry {
  deviceId: string;
  /** The device's messageId, or `rejected:<content hash>` for a payload that was refused. */
  key: string;
  port?: string;
  kind?: string;
  outcome: 'accepted' | 'rejected';
  observedAt?: string;
  receivedAt: string;
}

export interface DeviceTally {
  source: MessageSource;
  /** The message this tally is for: counting is guarded by it so a retry never counts twice. */
  messageKey: string;
  outcome: 'accepted' | 'rejected';
  health?: DeviceHealthReport;
}

/**
 * What the ingest use case needs from storage (a port, in the hexagonal sense). The DynamoDB adapter implements
 * it with single-item conditional writes; tests may implement it in memory.
 */
export interface IngestStore {
  /**
   * Appends the message to the log unless it is there: `new` the first time; `pending` when an earlier attempt
   * committed but did not finish (its projections are re-applied, idempotently); `applied` when it is a duplicate.
   */
  commit(entry: MessageLogEntry): Promise<CommitResult>;
  /** Applies one projection; must be idempotent (applying it twice has the effect of once). */
  apply(source: MessageSource, messageId: string, projection: Projection): Promise<void>;
  /** Stores dead letters; idempotent on their deterministic ids. */
  putDeadLetters(deadLetters: readonly DeadLetter[]): Promise<void>;
  /** Updates the device's last-seen time, health and accepted/rejected counts, once per message. */
  tallyDevice(tally: DeviceTally): Promise<void>;
  /** Marks the logged message as fully applied: from now on it is a duplicate. */
  markApplied(deviceId: string, key: string): Promise<void>;
}
