import {
  ConcurrencyError,
  DuplicateEventIdError,
  StoreUnavailableError,
} from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  ExpectedRevision,
  StreamRevision,
} from '../event-store.port';

/** Messages between the event store and its writer thread (structured clone keeps bigints and bytes). */
export type ToWriter =
  | { readonly kind: 'append'; readonly id: number; readonly requests: readonly AppendRequest[] }
  | { readonly kind: 'close' };

export type FromWriter =
  | { readonly kind: 'appended'; readonly id: number; readonly results: AppendResult[] }
  | { readonly kind: 'refused'; readonly id: number; readonly error: WriterError }
  | { readonly kind: 'committed' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'closed' };

export type WriterError =
  | {
      readonly kind: 'concurrency';
      readonly streamName: string;
      readonly expected: ExpectedRevision;
      readonly actual: StreamRevision | undefined;
    }
  | { readonly kind: 'duplicate'; readonly eventIds: readonly string[] }
  | { readonly kind: 'other'; readonly message: string; readonly code?: string };

export function toWriterError(error: unknown): WriterError {
  if (error instanceof ConcurrencyError) {
    return {
      kind: 'concurrency',
      streamName: error.streamName,
      expected: error.expected,
      actual: error.actual,
    };
  }
  if (error instanceof DuplicateEventIdError)
    return { kind: 'duplicate', eventIds: error.eventIds };
  const { message, code } = error as { message?: string; code?: string };
  return { kind: 'other', message: message ?? String(error), code };
}

export function fromWriterError(error: WriterError): Error {
  switch (error.kind) {
    case 'concurrency':
      return new ConcurrencyError(error.streamName, error.expected, error.actual);
    case 'duplicate':
      return new DuplicateEventIdError(error.eventIds);
    case 'other':
      return new StoreUnavailableError(
        `the SQLite writer refused the append${error.code ? ` (${error.code})` : ''}: ${error.message}`,
      );
  }
}
