/** Base of the platform's typed errors: each carries a stable, machine-readable `code`. */
export class KouanError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A device message that cannot be accepted; it is dead-lettered with this code and message. */
export class RejectedMessageError extends KouanError {}

/** The request conflicts with the object's current state (HTTP 409): a stale write, a forbidden transition. */
export class ConflictError extends KouanError {}
