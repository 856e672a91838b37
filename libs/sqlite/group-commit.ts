import type { SqliteDatabase } from './open-database';

interface PendingWork {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * One writer, many callers: the work queued during one turn of the event loop runs in a
 * single `BEGIN IMMEDIATE` transaction, each piece inside its own savepoint, and one commit
 * (one fsync) makes all of it durable. A piece that throws is rolled back alone and its
 * caller gets the error; the others still commit. No caller hears "done" before the commit
 * returned, so durability is not traded for speed: concurrent requests share the fsync.
 */
export class GroupCommit {
  private queue: PendingWork[] = [];
  private scheduled = false;
  private readonly afterCommitListeners: Array<() => void> = [];

  constructor(private readonly db: SqliteDatabase) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything queued before it is committed (or refused). */
  drain(): Promise<void> {
    return this.run(() => undefined);
  }

  /** Called after every successful commit (in-process subscribers wake on it). */
  onCommit(listener: () => void): void {
    this.afterCommitListeners.push(listener);
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (batch.length === 0) return;

    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const item of batch) outcomes.push(this.runInSavepoint(item.work));
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    for (const listener of this.afterCommitListeners) listener();
  }

  private runInSavepoint(work: () => unknown) {
    this.db.exec('SAVEPOINT piece');
    try {
      const value = work();
      this.db.exec('RELEASE piece');
      return { ok: true as const, value };
    } catch (error) {
      this.db.exec('ROLLBACK TO piece');
      this.db.exec('RELEASE piece');
      return { ok: false as const, error };
    }
  }
}
