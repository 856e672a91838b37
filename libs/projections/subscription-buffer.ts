import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordedEvent, Subscription } from '../event-store';

export interface TakenEvents {
  readonly events: RecordedEvent[];
  /** Other events were already waiting: the runner is behind the log. */
  readonly more: boolean;
}

/**
 * Pulls a subscription into a bounded buffer, so that the runner takes at once every event
 * that is available now, up to a batch. An event that is only available after I/O (the log
 * has nothing newer yet) ends the batch: that is how the runner knows it reached the head.
 */
export class SubscriptionBuffer {
  private readonly events: RecordedEvent[] = [];
  private readonly pumping: Promise<void>;
  private wakeConsumer?: () => void;
  private wakePump?: () => void;
  private closed = false;
  private ended = false;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly subscription: Subscription,
    private readonly highWater: number,
  ) {
    this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for await (const event of this.subscription) {
        this.events.push(event);
        this.wake();
        if (this.events.length >= this.highWater) {
          await new Promise<void>((resolve) => (this.wakePump = resolve));
        }
        if (this.closed) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  /**
   * Up to `max` events, taken after one turn of the event loop: whatever the subscription
   * can deliver without waiting for I/O is in the buffer by then.
   */
  async take(max: number): Promise<TakenEvents> {
    await nextTurn();
    if (this.failure) throw this.failure.error;
    const events = this.events.splice(0, max);
    this.wakePump?.();
    this.wakePump = undefined;
    if (events.length === 0 && this.ended && !this.closed) {
      throw new Error('the subscription to the log ended');
    }
    return { events, more: this.events.length > 0 || events.length === max };
  }

  /** Resolves once an event is buffered, or the subscription ended or was closed. */
  available(): Promise<void> {
    if (this.events.length > 0 || this.ended || this.closed) return Promise.resolve();
    return new Promise((resolve) => (this.wakeConsumer = resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.wakePump?.();
    await this.subscription.stop();
    await this.pumping;
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }
}
