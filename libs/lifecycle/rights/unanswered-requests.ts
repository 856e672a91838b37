import { decodeLedgerEvent } from '../../domain/events/ledger-event';
import type { EventStore, LogPosition } from '../../event-store';
import { answerDueBy } from './plan-rights-request';

/** A rights request the log holds no answer to yet. */
export interface UnansweredRequest {
  /** The subject's pseudonym. */
  readonly subject: string;
  readonly requestId: string;
  readonly right: string;
  readonly receivedAt: string;
  readonly answerDueBy: string;
}

const READ_BATCH = 1000;
const TRACKED: ReadonlySet<string> = new Set(['RightsRequestReceived', 'RightsRequestAnswered']);

/**
 * Every `RightsRequestReceived` (a platform's or the compliance desk's) without its
 * `RightsRequestAnswered` yet, caught up from the log before each read. Only unanswered
 * requests are held in memory; the first read after a start goes through the whole log
 * once, decoding nothing but the two types (by the stored type, before any JSON).
 */
export class UnansweredRightsRequests {
  private readonly open = new Map<string, UnansweredRequest>();
  private after: LogPosition | undefined;
  /** Catch-ups run one after the other: the same event is never applied twice. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly store: EventStore) {}

  /** Unanswered requests whose month was up before `now`, the longest overdue first. */
  async overdue(now: Date, limit: number): Promise<UnansweredRequest[]> {
    await this.catchUp();
    const instant = now.getTime();
    return [...this.open.values()]
      .filter((r) => Date.parse(r.answerDueBy) < instant)
      .sort(
        (a, b) =>
          Date.parse(a.answerDueBy) - Date.parse(b.answerDueBy) ||
          (a.requestId < b.requestId ? -1 : 1),
      )
      .slice(0, limit);
  }

  private catchUp(): Promise<void> {
    this.running = this.running.then(() => this.readNewEvents());
    return this.running;
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.after, maxCount: READ_BATCH });
      for (const recorded of batch) {
        if (TRACKED.has(recorded.type)) this.apply(decodeLedgerEvent(recorded.data));
        this.after = recorded.position;
      }
      if (batch.length < READ_BATCH) return;
    }
  }

  private apply(event: ReturnType<typeof decodeLedgerEvent>): void {
    const requestId = String(event.data.requestId);
    const key = `${event.subject}\n${requestId}`;
    if (event.type === 'RightsRequestAnswered') {
      this.open.delete(key);
      return;
    }
    const receivedAt = new Date(event.occurredAt).toISOString();
    this.open.set(key, {
      subject: event.subject ?? '',
      requestId,
      right: String(event.data.right),
      receivedAt,
      answerDueBy: answerDueBy(receivedAt),
    });
  }
}
