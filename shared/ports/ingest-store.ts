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

/** What one fully processed message adds to its device's record. */
export interface DeviceTally {
  source: MessageSource;
  messageKey: string;
  outcome: 'accepted' | 'rejected';
  health?: DeviceHealthReport;
}

/**
 * What the ingest use case needs from storage (a port, in the hexagonal sense), per batch of stream records.
 * The DynamoDB adapter implements it with single-item conditional writes, and batches the writes that need no
 * condition (the local emulator, and the bill, are per request).
 */
export interface IngestStore {
  /** A unit of work for one batch; `flush` it when every record of the batch has been handled. */
  session(): IngestSession;
}

export interface IngestSession {
  /**
   * Appends the message to the log unless it is there: `new` the first time; `pending` when an earlier attempt
   * committed but did not finish (its projections are re-applied, idempotently); `applied` when it is a duplicate.
   */
  commit(entry: MessageLogEntry): Promise<CommitResult>;
  /** Applies one projection now or with the flush; applying it twice has the effect of once. */
  apply(source: MessageSource, messageId: string, projection: Projection): Promise<void>;
  /** Stores dead letters with the flush; idempotent on their deterministic ids. */
  deadLetter(deadLetters: readonly DeadLetter[]): void;
  /**
   * Records that a message is fully handled: with the flush its device's tally (last seen, health,
   * accepted/rejected counts; once per device per batch) is updated, then the message is marked applied.
   */
  done(entry: MessageLogEntry, tally: DeviceTally | undefined): void;
  /** Writes what was deferred. If it throws, the whole batch is retried; every step is idempotent. */
  flush(): Promise<void>;
}
