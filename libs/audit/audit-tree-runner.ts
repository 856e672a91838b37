import type { EventStore } from '../event-store';
import { SubscriptionBuffer } from '../projections/subscription-buffer';
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
  private readonly batchSize: number;
  private buffer?: SubscriptionBuffer;
  private loop?: Promise<void>;
  private stopping = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly tree: SqliteAuditTree,
    private readonly options: AuditTreeRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    const head = this.tree.head();
    const buffer = new SubscriptionBuffer(
      this.store.subscribeToAll({ after: head.position }),
      this.batchSize,
    );
    this.buffer = buffer;
    this.loop = this.run(buffer).catch((error: unknown) => this.failed(error));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    await this.buffer?.close();
    await this.loop;
    this.buffer = undefined;
    this.loop = undefined;
  }

  private async run(buffer: SubscriptionBuffer): Promise<void> {
    while (!this.stopping) {
      const { events } = await buffer.take(this.batchSize);
      if (this.stopping) return;
      if (events.length === 0) {
        await buffer.available();
        continue;
      }
      const size = this.tree.append(events);
      this.retryDelayMs = this.options.retryDelayMs ?? 1000;
      this.options.onAppended?.(size);
    }
  }

  private async failed(error: unknown): Promise<void> {
    this.options.onError?.(error);
    await this.buffer?.close().catch(() => undefined);
    this.buffer = undefined;
    this.loop = undefined;
    if (this.stopping) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, 60_000);
    this.retryTimer = setTimeout(() => this.start(), delay);
    this.retryTimer.unref();
  }
}
