import type { EventStore, LogPosition, RecordedEvent } from '../event-store';
import { SubscriptionBuffer } from './subscription-buffer';

export interface LogFollowerOptions {
  /** Most events handed over at once. */
  readonly batchSize: number;
  /** First pause before running again after a failure, doubled up to a minute. */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows the log for a projection that commits its own checkpoint with each batch (the
 * audit tree, the subject content): a durable subscription from `from()`, every available
 * event handed to `apply` in order, up to a batch at a time. After a failure it starts
 * again from `from()` (what the projection last committed) after a pause, doubled up to a
 * minute, reset by the next batch applied.
 */
export class LogFollower {
  private buffer?: SubscriptionBuffer;
  private loop?: Promise<void>;
  private stopping = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly from: () => LogPosition | undefined,
    private readonly apply: (events: readonly RecordedEvent[]) => void | Promise<void>,
    private readonly options: LogFollowerOptions,
  ) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    const buffer = new SubscriptionBuffer(
      this.store.subscribeToAll({ after: this.from() }),
      this.options.batchSize,
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
      const { events } = await buffer.take(this.options.batchSize);
      if (this.stopping) return;
      if (events.length === 0) {
        await buffer.available();
        continue;
      }
      await this.apply(events);
      this.retryDelayMs = this.options.retryDelayMs ?? 1000;
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
