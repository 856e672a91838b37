import type { EventStore } from '../event-store';
import { LogFollower } from '../projections/log-follower';
import type { SqliteAuditTree } from './tree-store/sqlite-audit-tree';

export interface AuditTreeRunnerOptions {
  /** Most leaves appended per transaction (5,000). */
  readonly batchSize?: number;
  /** First pause before running again after a failure, doubled up to a minute. */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
  /** After every commit, with the tree's new size (checkpoint signing listens here). */
  readonly onAppended?: (size: bigint) => void;
}

/**
 * Keeps the audit tree level with the log: a durable subscription from the tree's head,
 * every available event appended as a leaf, the head committed with the nodes. Nothing
 * else writes the tree, so replaying after a crash resumes exactly where the file says.
 */
export class AuditTreeRunner {
  private readonly follower: LogFollower;

  constructor(store: EventStore, tree: SqliteAuditTree, options: AuditTreeRunnerOptions = {}) {
    this.follower = new LogFollower(
      store,
      () => tree.head().position,
      (events) => {
        const size = tree.append(events);
        options.onAppended?.(size);
      },
      { ...options, batchSize: options.batchSize ?? 5_000 },
    );
  }

  start(): void {
    this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }
}
