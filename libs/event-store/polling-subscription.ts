import type { AppendNotifier } from './append-notifier';
import type { LogPosition, ReadAllOptions, RecordedEvent, Subscription } from './event-store.port';

export interface PollingSubscriptionOptions {
  readonly after?: LogPosition;
  readonly batchSize?: number;
  /** How long to wait for an in-process notification before looking again (another process may have written). */
  readonly pollIntervalMs?: number;
}

/**
 * Catch-up then live, for stores whose global order is a plain sequence (memory, SQLite):
 * read after the cursor in batches; when a batch comes back short, wait for a commit.
 * SQLite commits one transaction at a time, so a reader never sees a later position
 * without the earlier ones: following the cursor cannot skip an event.
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  notifier: AppendNotifier,
  options: PollingSubscriptionOptions = {},
): Subscription {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  let stopped = false;
  let signalStop!: () => void;
  const stoppedSignal = new Promise<void>((resolve) => (signalStop = resolve));

  async function* events(): AsyncGenerator<RecordedEvent> {
    let cursor = options.after;
    while (!stopped) {
      const seen = notifier.current;
      const batch = await readAll({ after: cursor, maxCount: batchSize });
      for (const event of batch) {
        if (stopped) return;
        yield event;
        cursor = event.position;
      }
      if (batch.length < batchSize && !stopped) {
        await notifier.waitBeyond(seen, pollIntervalMs, stoppedSignal);
      }
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      signalStop();
    },
  };
}
