import { comparePositions, type LogPosition } from '../event-store';

interface Waiter {
  readonly position: LogPosition;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** A position that only moves forward, and the callers waiting for it to pass theirs. */
export class PositionWaiters {
  private current?: LogPosition;
  private readonly waiters = new Set<Waiter>();

  get position(): LogPosition | undefined {
    return this.current;
  }

  reached(position: LogPosition): void {
    if (this.current && comparePositions(position, this.current) <= 0) return;
    this.current = position;
    for (const waiter of this.waiters) {
      if (comparePositions(waiter.position, position) <= 0) this.settle(waiter, true);
    }
  }

  /** True once the position is at or past `position`; false after `timeoutMs`. */
  waitFor(position: LogPosition, timeoutMs: number): Promise<boolean> {
    if (this.current && comparePositions(position, this.current) <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => this.settle(waiter, false), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Forgets the position (the read models were dropped). */
  reset(): void {
    this.current = undefined;
  }

  cancelAll(): void {
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  private settle(waiter: Waiter, reached: boolean): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(reached);
  }
}
