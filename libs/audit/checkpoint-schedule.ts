import type { CheckpointTrigger } from '../domain/audit/checkpoint-signed';
import type { SignedCheckpoints } from './signed-checkpoints';
import type { SqliteAuditTree } from './tree-store/sqlite-audit-tree';

export interface CheckpointScheduleOptions {
  /** Sign once the tree has grown by this many leaves since the last checkpoint. */
  readonly every: number;
  /** And at least this often while it grows at all. */
  readonly intervalMs: number;
  readonly onError?: (error: unknown) => void;
  readonly onSigned?: (treeSize: bigint, trigger: CheckpointTrigger) => void;
}

/**
 * When the worker signs on its own: every N leaves, and every T milliseconds if the tree grew
 * (by more than checkpoints: `signHead` answers the last one then, so an idle ledger does not
 * sign its own checkpoints forever). One signature at a time.
 */
export class CheckpointSchedule {
  private lastSigned = 0n;
  private signing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly checkpoints: SignedCheckpoints,
    private readonly tree: SqliteAuditTree,
    private readonly options: CheckpointScheduleOptions,
  ) {}

  async start(): Promise<void> {
    this.lastSigned = (await this.checkpoints.latest())?.treeSize ?? 0n;
    this.timer = setInterval(() => {
      void this.onInterval().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.signing;
  }

  /** The tree grew (the runner committed leaves). */
  onAppended(size: bigint): void {
    if (size - this.lastSigned >= BigInt(this.options.every)) this.sign('every');
  }

  private async onInterval(): Promise<void> {
    if (this.tree.size() > this.lastSigned) this.sign('interval');
  }

  private sign(trigger: CheckpointTrigger): void {
    if (this.signing) return;
    this.signing = this.checkpoints
      .signHead(trigger)
      .then((signed) => {
        if (signed.treeSize > this.lastSigned) this.options.onSigned?.(signed.treeSize, trigger);
        this.lastSigned = signed.treeSize;
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => (this.signing = undefined));
  }
}
