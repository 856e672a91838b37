import { Worker } from 'node:worker_threads';
import type { LogPosition } from '../../event-store';
import type { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import type { Policy } from '../../policy/policy';
import type { EncodedSubjectWrite } from '../read-store.port';
import type { RetentionScheduleProjection } from '../retention-schedule/retention-schedule.projection';
import type { StreamRange, SubjectStreamsRead } from './subject-streams';
import { workerEntry } from '../../threads/worker-entry';

const ENTRY = workerEntry(__filename, 'fill-thread.worker');

/** What one fill thread is given. */
export interface FillThreadJob extends SubjectStreamsRead {
  readonly file: string;
  readonly policy: Policy;
  readonly range: StreamRange;
  readonly chunkSize: number;
}

/** What a fill thread sends: a chunk of subjects, or that its range is done. */
export type FillThreadMessage =
  { readonly writes: EncodedSubjectWrite[] } | { readonly done: true };

export interface FillOptions {
  readonly batchSize: number;
  readonly chunkSize: number;
}

/**
 * Folding subject streams on other threads, for a projection filled from nothing: the
 * folding (reading, parsing, evaluating the policy) is most of a fill's work and each
 * subject is independent, while the writes go through one connection.
 */
export interface FillThreads {
  /**
   * Folds every subject stream up to `upTo`, and hands each chunk of subjects, encoded as
   * the store writes them, to `write`, one chunk at a time. Rejects when a thread or a
   * write fails.
   */
  fill(
    projection: RetentionScheduleProjection,
    upTo: LogPosition,
    write: (writes: EncodedSubjectWrite[]) => Promise<void>,
    options: FillOptions,
  ): Promise<void>;
  /** Ends a fill under way: its threads are stopped, and it rejects. */
  stop(): Promise<void>;
}

/**
 * Fill threads over the SQLite log: its subject streams cut into one range per thread of
 * about as many events (`splitStreamNames`), each thread reading its range through its own
 * connection to the file.
 */
export class SqliteFillThreads implements FillThreads {
  private readonly running = new Set<Worker>();

  constructor(
    private readonly store: SqliteEventStore,
    private readonly threads: number,
  ) {}

  async fill(
    projection: RetentionScheduleProjection,
    upTo: LogPosition,
    write: (writes: EncodedSubjectWrite[]) => Promise<void>,
    { batchSize, chunkSize }: FillOptions,
  ): Promise<void> {
    const file = this.store.file;
    if (file === undefined) throw new Error('fill threads need the log file (a writable store)');
    const cuts = this.store.splitStreamNames(projection.streamPrefix, this.threads);
    const ranges = [undefined, ...cuts].map((from, i) => ({ from, before: cuts[i] }));
    const jobs = ranges.map((range): FillThreadJob => ({
      file,
      policy: projection.policy,
      range,
      upTo,
      batchSize,
      chunkSize,
    }));
    try {
      await this.runAll(jobs, write);
    } finally {
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    const workers = [...this.running];
    this.running.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** Writes the threads' chunks one after the other, as they come; each written is acknowledged. */
  private runAll(
    jobs: readonly FillThreadJob[],
    write: (writes: EncodedSubjectWrite[]) => Promise<void>,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let writing = Promise.resolve();
      let done = 0;
      for (const job of jobs) {
        const worker = new Worker(ENTRY.file, { workerData: job, execArgv: ENTRY.execArgv });
        this.running.add(worker);
        let finished = false;
        worker.on('message', (message: FillThreadMessage) => {
          if ('done' in message) {
            finished = true;
            if (++done === jobs.length) writing.then(resolve, reject);
            return;
          }
          writing = writing
            .then(() => write(message.writes))
            .then(() => worker.postMessage('next'));
          writing.catch(reject);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          // Terminated by `stop`, or gone before its range was done.
          if (!finished) reject(new Error(`a fill thread exited (code ${code})`));
        });
      }
    });
  }
}
