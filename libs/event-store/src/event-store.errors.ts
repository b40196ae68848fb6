import { ExpectedRevision } from './event-store.port';

/** Base class so callers can tell store errors from programming errors. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/**
 * The stream was not at the revision the writer expected: somebody else wrote first.
 * `actualRevision` is -1 when the stream does not exist.
 */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number,
  ) {
    super(
      `Stream ${streamId} is at revision ${actualRevision < 0 ? 'none (no stream)' : actualRevision}, ` + `but the write expected ${String(expectedRevision)}`,
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * Some, but not all, of the event ids of an append are already stored (or stored in another
 * stream). A retry must resend exactly the original batch; anything else is a caller bug.
 */
export class EventIdConflictError extends EventStoreError {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
  ) {
    super(`Stream ${streamId}: event ids ${eventIds.join(', ')} are already stored in a different append`);
    this.name = 'EventIdConflictError';
  }
}

/** Input the store refuses before touching the database (empty batch, bad id, bad stream name). */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}
