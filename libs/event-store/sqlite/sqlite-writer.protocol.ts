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

/**
 * Messages between the event store and its writer thread (structured clone keeps bigints and
 * bytes). Appends and their answers travel in batches: every append made during one turn of
 * the main thread's event loop goes in one message, and every answer of one commit comes back
 * in one, where the writer thread woke and answered once per append. Under http-single (18
 * appends a message on average) the server used 157-159% of a core instead of 164-165% and
 * published more (measured alternately). The request thread's own `postMessage` time did not
 * shrink: it grows with the appends' bytes, not with the number of messages.
 */
export type ToWriter =
  | { readonly kind: 'append'; readonly appends: readonly WriterAppend[] }
  | { readonly kind: 'close' };

export interface WriterAppend {
  readonly id: number;
  readonly requests: readonly AppendRequest[];
}

export type FromWriter =
  | { readonly kind: 'answered'; readonly answers: readonly WriterAnswer[] }
  | { readonly kind: 'committed' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'closed' };

/** An append's outcome: its results once committed, or why it was refused. */
export type WriterAnswer =
  | { readonly id: number; readonly results: AppendResult[] }
  | { readonly id: number; readonly error: WriterError };

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
