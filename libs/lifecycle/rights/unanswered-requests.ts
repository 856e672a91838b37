import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import type { SqliteDatabase } from '../../sqlite/open-database';
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

/** The events that open and close a request's month (art. 12(3)), whoever wrote them. */
export const RIGHTS_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  'RightsRequestReceived',
  'RightsRequestAnswered',
]);

/**
 * Every `RightsRequestReceived` (a platform's or the compliance desk's) without its
 * `RightsRequestAnswered` yet, as a table of the file that also follows the commands to
 * downstream systems (the other thing the compliance desk waits on): applied in the same
 * checkpointed catch-up of the log, so a start reads only what came since, never the whole
 * log again (an in-memory set did, on the first read after every start).
 */
export class UnansweredRequestsTable {
  private readonly sql;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rights_requests_unanswered (
        subject TEXT NOT NULL,
        request_id TEXT NOT NULL,
        right TEXT NOT NULL,
        received_at TEXT NOT NULL,
        answer_due_by TEXT NOT NULL,
        PRIMARY KEY (subject, request_id)
      );
      CREATE INDEX IF NOT EXISTS rights_requests_by_due
        ON rights_requests_unanswered (answer_due_by, request_id);
    `);
    this.sql = {
      received: db.prepare(
        `INSERT OR REPLACE INTO rights_requests_unanswered
           (subject, request_id, right, received_at, answer_due_by) VALUES (?, ?, ?, ?, ?)`,
      ),
      answered: db.prepare(
        `DELETE FROM rights_requests_unanswered WHERE subject = ? AND request_id = ?`,
      ),
      overdue: db.prepare(
        `SELECT subject, request_id AS requestId, right, received_at AS receivedAt,
                answer_due_by AS answerDueBy
           FROM rights_requests_unanswered WHERE answer_due_by < ?
           ORDER BY answer_due_by, request_id LIMIT ?`,
      ),
      clear: db.prepare(`DELETE FROM rights_requests_unanswered`),
    };
  }

  /** One of RIGHTS_REQUEST_EVENTS, inside the caller's transaction. */
  apply(event: LedgerEventV1): void {
    const subject = event.subject ?? '';
    const requestId = String(event.data.requestId);
    if (event.type === 'RightsRequestAnswered') {
      this.sql.answered.run(subject, requestId);
      return;
    }
    const receivedAt = new Date(event.occurredAt).toISOString();
    const right = String(event.data.right);
    this.sql.received.run(subject, requestId, right, receivedAt, answerDueBy(receivedAt));
  }

  /**
   * Unanswered requests whose month was up before `now`, the longest overdue first (ISO-8601
   * instants of one format compare as text).
   */
  overdue(now: Date, limit: number): UnansweredRequest[] {
    return this.sql.overdue.all(now.toISOString(), limit) as UnansweredRequest[];
  }

  clear(): void {
    this.sql.clear.run();
  }
}
