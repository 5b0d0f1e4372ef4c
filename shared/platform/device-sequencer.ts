import { KouanError } from '../domain/errors';

/** A record held back because an earlier record of the same device failed in this batch. */
export class OrderPreservedError extends KouanError {
  constructor(key: string) {
    super(
      'ORDER_PRESERVED',
      `not processed: an earlier record of ${key} in this batch failed, it will be retried first`,
    );
  }
}

/**
 * Runs work for different keys (devices) concurrently and for one key strictly in arrival order. When a key's
 * work fails, every later item of that key fails too, so a retry from the failed record replays them in order
 * (a gate-out is never applied before the gate-in it closes). One sequencer per batch.
 */
export class DeviceSequencer {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, () => {
      throw new OrderPreservedError(key);
    });
    const tail = result.then(() => undefined);
    // The tail's rejection is observed by the key's next item; keep Node from reporting it as unhandled.
    tail.catch(() => undefined);
    this.tails.set(key, tail);
    return result;
  }
}
