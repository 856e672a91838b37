/**
 * Wakes in-process subscribers when something was committed. A version counter closes the
 * race between "read found nothing new" and "start waiting": a commit in between has moved
 * the version, so the wait returns at once instead of sleeping on it.
 */
export class AppendNotifier {
  private version = 0;
  private waiters: Array<() => void> = [];

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when the version moves past `seen`, or after `timeoutMs` (other processes may write too). */
  waitBeyond(seen: number, timeoutMs: number, stopped: Promise<void>): Promise<void> {
    if (this.version !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
      void stopped.then(done);
    });
  }
}
