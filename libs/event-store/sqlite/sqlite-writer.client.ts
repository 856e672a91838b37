import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../event-store.errors';
import type { AppendRequest, AppendResult } from '../event-store.port';
import {
  fromWriterError,
  type FromWriter,
  type ToWriter,
  type WriterAnswer,
  type WriterAppend,
} from './sqlite-writer.protocol';
import { workerEntry } from '../../threads/worker-entry';

const ENTRY = workerEntry(__filename, 'sqlite-writer.worker');

/**
 * The writer thread keeps little alive (5-8 MB of heap: statements, the batch in hand), but
 * V8 sized its young generation as for any thread of a machine with many GiB: 22 MB reserved
 * under load. 4 MB: 10-11 MB reserved. memory-rss (RSS after 1,000,000 events / peak / peak
 * with the catch-up), three runs: 323-338 / 342-352 / 348-362 MB, against 337-345 / 354-364 /
 * 372-375 before; HTTP publishing unchanged within the noise (alternating runs). Only the
 * young generation is bounded: an old generation limit would stop the thread when reached.
 */
const WRITER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4 };

interface Pending {
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The main thread's side of the writer thread: one promise per append. Appends made during
 * one turn of the event loop are posted together, when the turn ends (`setImmediate`, as the
 * writer's group commit gathers them anyway).
 */
export class SqliteWriterClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private outbox: WriterAppend[] = [];
  private nextId = 1;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(file: string, onCommit: () => void) {
    this.worker = new Worker(ENTRY.file, {
      workerData: { file },
      execArgv: ENTRY.execArgv,
      resourceLimits: WRITER_THREAD_LIMITS,
    });
    this.worker.on('message', (message: FromWriter) => {
      switch (message.kind) {
        case 'answered':
          return message.answers.forEach((answer) => this.answer(answer));
        case 'committed':
          return onCommit();
        case 'failed':
          return this.fail(
            new StoreUnavailableError(`the SQLite writer could not start: ${message.message}`),
          );
      }
    });
    this.worker.on('error', (error) =>
      this.fail(new StoreUnavailableError('the SQLite writer stopped', { cause: error })),
    );
    this.worker.on('exit', () =>
      this.fail(new StoreUnavailableError('the SQLite writer has exited')),
    );
  }

  append(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.outbox.push({ id, requests });
      if (this.outbox.length === 1) setImmediate(() => this.postAppends());
    });
  }

  /** Lets queued appends commit, then stops the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.failure) return resolve();
      this.worker.once('exit', () => resolve());
      // Appends still in the outbox go first: the writer commits them, then closes.
      this.postAppends();
      this.send({ kind: 'close' });
    });
    return this.closing;
  }

  private postAppends(): void {
    if (this.outbox.length === 0) return;
    const appends = this.outbox;
    this.outbox = [];
    // Failed meanwhile: `fail` has already rejected them.
    if (!this.failure) this.send({ kind: 'append', appends });
  }

  private send(message: ToWriter): void {
    this.worker.postMessage(message);
  }

  private answer(answer: WriterAnswer): void {
    const pending = this.pending.get(answer.id);
    this.pending.delete(answer.id);
    if ('error' in answer) pending?.reject(fromWriterError(answer.error));
    else pending?.resolve(answer.results);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}
