import type { Fix } from '../domain/ais/dark-vessel';
import type { DeviceHealthReport, MessageSource, Projection } from '../domain/ingest/ingest-plan';
import type { DeadLetter } from '../domain/model';

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
 * The DynamoDB adapter implements it with single-item conditional writes for projections, and batches the writes
 * that need no condition (the local emulator, and the bill, are per request).
 */
export interface IngestStore {
  /** A unit of work for one batch; `flush` it when every record of the batch has been handled. */
  session(): IngestSession;
}

export interface MessageRef {
  deviceId: string;
  key: string;
}

/** What applying a projection learnt from the stored state (only vessel positions report anything). */
export interface AppliedProjection {
  /** The vessel's fix before this one, and the IMO number its static data gave, if known. */
  previousFix?: Fix;
  imo?: number;
}

export interface IngestSession {
  /** Looks up, in one round trip per hundred, which of the batch's messages the log already holds. */
  prefetch(messages: readonly MessageRef[]): Promise<void>;
  /**
   * Takes a message for this batch: false when the log holds it (a duplicate: a retry, a QoS 1 re-send, a replay
   * days later) or an earlier record of this batch already took it.
   */
  claim(message: MessageRef): boolean;
  /**
   * Applies one projection now or with the flush; applying it twice has the effect of once. For a vessel position
   * it reports the fix it replaced (also when applied again after a crash), for the dark-vessel check.
   */
  apply(source: MessageSource, messageId: string, projection: Projection): Promise<AppliedProjection | undefined>;
  /** Stores dead letters with the flush; idempotent on their deterministic ids. */
  deadLetter(deadLetters: readonly DeadLetter[]): void;
  /**
   * Records that a message is fully handled. The flush updates its device's tally (last seen, health,
   * accepted/rejected counts; once per device per batch), then appends the message to the log.
   */
  done(entry: MessageLogEntry, tally: DeviceTally | undefined): void;
  /**
   * Writes what was deferred, the log last: a message is in the log only once all of its effects are written,
   * so a crash anywhere before leaves it to be applied again, which is harmless. If it throws, the whole batch
   * is retried.
   */
  flush(): Promise<void>;
}
