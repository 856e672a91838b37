import type { ExpectedRevision, StreamRevision } from './event-store.port';

/** Base of the store's errors: a stable `code` that the HTTP layer maps to a status. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class ConcurrencyError extends EventStoreError {
  readonly code = 'EVENT_STORE.CONCURRENCY';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision | undefined,
  ) {
    super(
      `stream ${streamName}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : String(actual)}`,
    );
    this.name = 'ConcurrencyError';
  }
}

/** An event id that the store already holds: publishers' idempotency is forever. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT_ID';
  constructor(readonly eventIds: readonly string[]) {
    super(`event id(s) already stored: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** The store cannot be reached or refused the operation for a reason of its own. */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export function isEventStoreError(error: unknown): error is EventStoreError {
  return error instanceof EventStoreError;
}
