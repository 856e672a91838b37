import type Database from 'better-sqlite3';
import { decodeLedgerEvent } from '../../domain/events/ledger-event';
import type {
  CommandAcknowledgedData,
  CommandAction,
  CommandDeadLetteredData,
  CommandIssuedData,
  SubjectLinkFate,
  SubjectLinkForgottenData,
} from '../../domain/events/ledger-written-events';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  type EventStore,
  type RecordedEvent,
} from '../../event-store';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import {
  RIGHTS_REQUEST_EVENTS,
  UnansweredRequestsTable,
  type UnansweredRequest,
} from '../rights/unanswered-requests';
import { ACTION_OF_FACT, commandIdOf } from './downstream-commands';
import { registrySettings, systemsHolding, type SystemsRegistry } from './downstream-systems';

/** owed: the fact is in the log, the command not yet; then issued, and one of the last two. */
export type CommandStatus = 'owed' | 'pending' | 'dead-lettered' | 'acknowledged';
const RANK: Readonly<Record<CommandStatus, number>> = {
  owed: 0,
  pending: 1,
  'dead-lettered': 2,
  acknowledged: 3,
};

export interface CommandRow {
  readonly commandId: string;
  readonly system: string;
  readonly action: CommandAction;
  readonly subject: string;
  readonly recordKey: string;
  readonly category: string;
  readonly factEventId: string;
  readonly status: CommandStatus;
  readonly issuedAt: string | null;
  readonly dueBy: string | null;
  readonly acknowledgedAt: string | null;
  /** Webhook tries so far (delivery state, kept here only: see the class comment). */
  readonly tries: number;
  /** Wall-clock milliseconds of the next webhook try. */
  readonly nextTryAt: number;
  readonly lastError: string | null;
}

/** A subject's link to the platform id kept for the systems by the erasure of its last record. */
export interface KeptLink {
  readonly subject: string;
  /** The `RecordErased` that kept it. */
  readonly factEventId: string;
}

const INTERESTING = new Set([
  ...Object.keys(ACTION_OF_FACT),
  'CommandIssued',
  'CommandAcknowledged',
  'CommandDeadLettered',
  'SubjectLinkForgotten',
  ...RIGHTS_REQUEST_EVENTS,
]);
const BATCH = 1000;
/** What the file derives: 2 added the kept links and the unanswered rights requests. */
const MODEL = '2';
const COLUMNS = `command_id AS commandId, system, action, subject, record_key AS recordKey,
  category, fact_event_id AS factEventId, status, issued_at AS issuedAt, due_by AS dueBy,
  acknowledged_at AS acknowledgedAt, tries, next_try_at AS nextTryAt, last_error AS lastError`;

/**
 * The commands to downstream systems, derived from the log (`downstream.db` beside it): a
 * fact of the saga makes one `owed` row per system holding its category; `CommandIssued`,
 * `CommandAcknowledged` and `CommandDeadLettered` move it on. Every step only moves a row
 * forward, so applying an event twice, or two threads catching up at once, changes
 * nothing; the checkpoint is written in the same transaction. It also knows which links to
 * the platform id are kept for the systems (`links_kept`: subject-link.ts), and which rights
 * requests wait for an answer (unanswered-requests.ts): what the compliance desk's overdue
 * list is made of, from one catch-up. A fact whose command is not
 * issued yet stays `owed` however the process stopped: nothing between the fact and the
 * command can be lost.
 *
 * The webhook tries (`tries`, `nextTryAt`) are the one thing here not derived from the
 * log: dropping the file sends pending commands again, which receivers dedupe by command id.
 */
export class SqliteCommandStore {
  private readonly settings: string;
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private readonly requests: UnansweredRequestsTable;

  static open(file: string, registry: SystemsRegistry): SqliteCommandStore {
    const db = openDatabase(file);
    db.pragma('synchronous = NORMAL');
    return new SqliteCommandStore(db, registry);
  }

  constructor(
    private readonly db: SqliteDatabase,
    private readonly registry: SystemsRegistry,
  ) {
    this.settings = registrySettings(registry);
    migrate(db);
    this.requests = new UnansweredRequestsTable(db);
    db.transaction(() => {
      if (this.meta('settings') !== this.settings) {
        // Another registry: which commands are owed is recomputed from the whole log.
        db.exec(
          'DELETE FROM downstream_commands; DELETE FROM links_kept; DELETE FROM downstream_meta;',
        );
        this.requests.clear();
        this.setMeta('settings', this.settings);
      }
      if (this.meta('model') !== MODEL) {
        // A file from before a table was added: the log is read again from its start (every
        // row only moves forward, so what was there stays as it is) to fill the new ones.
        this.statement(`DELETE FROM downstream_meta WHERE name = 'checkpoint'`).run();
        this.setMeta('model', MODEL);
      }
    }).immediate();
  }

  /** Applies every event the log holds after the checkpoint. */
  async catchUp(store: EventStore): Promise<void> {
    for (;;) {
      const saved = this.meta('checkpoint');
      const after = saved === undefined ? undefined : parsePosition(saved);
      const batch = await store.readAll({ after, maxCount: BATCH });
      if (batch.length === 0) return;
      this.apply(batch);
      if (batch.length < BATCH) return;
    }
  }

  private apply(batch: readonly RecordedEvent[]): void {
    this.db
      .transaction(() => {
        const saved = this.meta('checkpoint');
        const after = saved === undefined ? undefined : parsePosition(saved);
        // Another thread may have applied part of this batch since it was read: a kept link
        // it has since forgotten must not come back.
        const fresh = after
          ? batch.filter((event) => comparePositions(event.position, after) > 0)
          : batch;
        if (fresh.length === 0) return;
        for (const event of fresh) if (INTERESTING.has(event.type)) this.applyOne(event);
        this.setMeta('checkpoint', formatPosition(fresh.at(-1)!.position));
      })
      .immediate();
  }

  private applyOne(recorded: RecordedEvent): void {
    const event = decodeLedgerEvent(recorded.data);
    if (RIGHTS_REQUEST_EVENTS.has(event.type)) {
      this.requests.apply(event);
      return;
    }
    if (event.source !== 'ledger') return;
    const action = ACTION_OF_FACT[event.type];
    if (action !== undefined && event.subject !== undefined) {
      const { recordKey, category, subjectLink } = event.data as {
        recordKey: string;
        category: string;
        subjectLink?: SubjectLinkFate;
      };
      if (subjectLink === 'kept-for-systems') {
        this.statement(
          `INSERT OR IGNORE INTO links_kept (subject, fact_event_id) VALUES (?, ?)`,
        ).run(event.subject, event.eventId);
      }
      for (const system of systemsHolding(this.registry, category)) {
        this.statement(
          `INSERT OR IGNORE INTO downstream_commands
             (command_id, system, action, subject, record_key, category, fact_event_id, status, rank)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'owed', 0)`,
        ).run(
          commandIdOf(system.id, event.eventId),
          system.id,
          action,
          event.subject,
          recordKey,
          category,
          event.eventId,
        );
      }
      return;
    }
    if (event.type === 'CommandIssued') {
      this.markIssued(event.data as unknown as CommandIssuedData);
      return;
    }
    if (event.type === 'SubjectLinkForgotten') {
      const { factEventId } = event.data as unknown as SubjectLinkForgottenData;
      this.linkNoLongerKept({ subject: event.subject!, factEventId });
      return;
    }
    if (event.type === 'CommandAcknowledged') {
      const { commandId, acknowledgedAt } = event.data as unknown as CommandAcknowledgedData;
      this.moveTo(commandId, 'acknowledged', acknowledgedAt);
      return;
    }
    const { commandId } = event.data as unknown as CommandDeadLetteredData;
    this.moveTo(commandId, 'dead-lettered');
  }

  /** The command is in the log: owed no more (written by the issuer before its catch-up). */
  markIssued(c: CommandIssuedData): void {
    this.statement(
      `INSERT INTO downstream_commands
       (command_id, system, action, subject, record_key, category, fact_event_id, status, rank, issued_at, due_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?)
       ON CONFLICT (command_id) DO UPDATE SET status = 'pending', rank = 1,
         issued_at = excluded.issued_at, due_by = excluded.due_by WHERE rank < 1`,
    ).run(
      c.commandId,
      c.system,
      c.action,
      c.subject,
      c.recordKey,
      c.category,
      c.factEventId,
      c.issuedAt,
      c.dueBy,
    );
  }

  /** Several at once, in one transaction (one write to the file instead of one each). */
  markAllIssued(commands: readonly CommandIssuedData[]): void {
    this.db.transaction(() => commands.forEach((c) => this.markIssued(c))).immediate();
  }

  /** Only forward: an acknowledgement after a dead letter closes it; nothing reopens one. */
  moveTo(commandId: string, status: CommandStatus, acknowledgedAt?: string): void {
    this.statement(
      `UPDATE downstream_commands SET status = ?, rank = ?,
           acknowledged_at = coalesce(acknowledged_at, ?)
         WHERE command_id = ? AND rank < ?`,
    ).run(status, RANK[status], acknowledgedAt ?? null, commandId, RANK[status]);
  }

  /** Facts whose command to a system of the registry is not in the log yet. */
  owed(limit: number): CommandRow[] {
    return this.rows(
      `WHERE status = 'owed' AND system IN (SELECT value FROM json_each(?)) ORDER BY rowid LIMIT ?`,
      JSON.stringify(this.registry.systems.map((s) => s.id)),
      limit,
    );
  }

  /** Issued, not acknowledged nor given up, to one of these systems, due for a try. */
  dueTries(systems: readonly string[], nowMs: number, limit: number): CommandRow[] {
    return this.rows(
      `WHERE status = 'pending' AND system IN (SELECT value FROM json_each(?)) AND next_try_at <= ?
       ORDER BY next_try_at, command_id LIMIT ?`,
      JSON.stringify(systems),
      nowMs,
      limit,
    );
  }

  /** When the earliest pending command of these systems is due for a try. */
  nextTryAt(systems: readonly string[]): number | undefined {
    const row = this.statement(
      `SELECT min(next_try_at) AS at FROM downstream_commands
         WHERE status = 'pending' AND system IN (SELECT value FROM json_each(?))`,
    ).get(JSON.stringify(systems)) as { at: number | null };
    return row.at ?? undefined;
  }

  /** Counted before the request goes: a crash during it still counts the try. */
  recordTry(commandId: string, tries: number, nextTryAt: number): void {
    this.statement(
      `UPDATE downstream_commands SET tries = ?, next_try_at = ? WHERE command_id = ?`,
    ).run(tries, nextTryAt, commandId);
  }

  recordError(commandId: string, error: string): void {
    this.statement(`UPDATE downstream_commands SET last_error = ? WHERE command_id = ?`).run(
      error,
      commandId,
    );
  }

  /** Issued to this system and not acknowledged, oldest first (dead letters included). */
  unacknowledged(system: string, limit: number): CommandRow[] {
    return this.rows(
      `WHERE system = ? AND status IN ('pending', 'dead-lettered') ORDER BY issued_at, command_id LIMIT ?`,
      system,
      limit,
    );
  }

  command(commandId: string): CommandRow | undefined {
    return this.rows(`WHERE command_id = ?`, commandId)[0];
  }

  /** Issued, not acknowledged, and past their SLA at `now`, most overdue first. */
  overdue(now: string, limit: number): CommandRow[] {
    return this.rows(
      `WHERE status IN ('pending', 'dead-lettered') AND due_by < ? ORDER BY due_by, command_id LIMIT ?`,
      now,
      limit,
    );
  }

  /**
   * Links kept past the subject's last erasure whose every command is acknowledged (a dead
   * letter still waits: whoever closes it by hand needs the platform id), oldest first.
   */
  linksNoLongerNeeded(limit: number): KeptLink[] {
    return this.statement(
      `SELECT subject, fact_event_id AS factEventId FROM links_kept k
         WHERE NOT EXISTS (SELECT 1 FROM downstream_commands c
                            WHERE c.subject = k.subject AND c.status != 'acknowledged')
         ORDER BY rowid LIMIT ?`,
    ).all(limit) as KeptLink[];
  }

  /** Forgotten, or needed again by records that came after the erasure. */
  linkNoLongerKept({ subject, factEventId }: KeptLink): void {
    this.statement(`DELETE FROM links_kept WHERE subject = ? AND fact_event_id = ?`).run(
      subject,
      factEventId,
    );
  }

  /** Rights requests not answered within their month at `now`, the longest overdue first. */
  overdueRequests(now: Date, limit: number): UnansweredRequest[] {
    return this.requests.overdue(now, limit);
  }

  ofSubject(subject: string): CommandRow[] {
    return this.rows(`WHERE subject = ? ORDER BY record_key, category, system, rowid`, subject);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private rows(where: string, ...params: unknown[]): CommandRow[] {
    return this.statement(`SELECT ${COLUMNS} FROM downstream_commands ${where}`).all(
      ...params,
    ) as CommandRow[];
  }

  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private meta(name: string): string | undefined {
    const row = this.statement(`SELECT value FROM downstream_meta WHERE name = ?`).get(name) as
      { value: string } | undefined;
    return row?.value;
  }

  private setMeta(name: string, value: string): void {
    this.statement(
      `INSERT INTO downstream_meta (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(name, value);
  }
}

function migrate(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS downstream_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS downstream_commands (
      command_id TEXT PRIMARY KEY,
      system TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      record_key TEXT NOT NULL,
      category TEXT NOT NULL,
      fact_event_id TEXT NOT NULL,
      status TEXT NOT NULL,
      rank INTEGER NOT NULL,
      issued_at TEXT,
      due_by TEXT,
      acknowledged_at TEXT,
      tries INTEGER NOT NULL DEFAULT 0,
      next_try_at INTEGER NOT NULL DEFAULT 0,
      last_error TEXT
    );
    CREATE INDEX IF NOT EXISTS downstream_by_status ON downstream_commands (status, next_try_at);
    CREATE INDEX IF NOT EXISTS downstream_by_system ON downstream_commands (system, status, issued_at);
    CREATE INDEX IF NOT EXISTS downstream_by_due ON downstream_commands (due_by)
      WHERE status IN ('pending', 'dead-lettered');
    CREATE TABLE IF NOT EXISTS links_kept (
      subject TEXT NOT NULL,
      fact_event_id TEXT NOT NULL,
      PRIMARY KEY (subject, fact_event_id)
    );
    CREATE INDEX IF NOT EXISTS downstream_by_subject ON downstream_commands (subject, record_key, category);
  `);
}
