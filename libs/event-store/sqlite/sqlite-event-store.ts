import { GroupCommit } from '../../sqlite/group-commit';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import { AppendNotifier } from '../append-notifier';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  StoreUnavailableError,
} from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamRevision,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { positionOf } from '../log-position';
import { pollingSubscription } from '../polling-subscription';
import { migrateEventLog } from './sqlite-schema';

interface EventRow {
  position: number;
  stream_name: string;
  revision: number;
  event_id: string;
  type: string;
  data: Buffer;
}

const COLUMNS = 'position, stream_name, revision, event_id, type, data';

/**
 * The embedded log: one SQLite file, WAL, `synchronous=FULL`, one writer with group
 * commit. An append resolves only after the commit that holds it returned.
 */
export class SqliteEventStore implements EventStore {
  private readonly writer: GroupCommit;
  private readonly notifier = new AppendNotifier();
  private readonly statements: ReturnType<typeof prepare>;

  static open(file: string): SqliteEventStore {
    return new SqliteEventStore(openDatabase(file));
  }

  constructor(private readonly db: SqliteDatabase) {
    migrateEventLog(db);
    this.statements = prepare(db);
    this.writer = new GroupCommit(db);
    this.writer.onCommit(() => this.notifier.notify());
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result;
  }

  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    // Runs inside the group's transaction, in a savepoint of its own: anything thrown
    // here rolls back this whole call and nothing else.
    return this.writer.run(() => requests.map((request) => this.write(request)));
  }

  private write(request: AppendRequest): AppendResult {
    const { lastRevision, insert } = this.statements;
    const row = lastRevision.get(request.streamName) as { revision: number | null };
    const actual = row.revision === null ? undefined : BigInt(row.revision);
    const expected = request.expectedRevision;
    const holds =
      expected === 'any' || (expected === 'no_stream' ? actual === undefined : actual === expected);
    if (!holds) throw new ConcurrencyError(request.streamName, expected, actual);

    let revision = actual === undefined ? -1 : Number(actual);
    let firstInserted: number | undefined;
    try {
      const positions = request.events.map((event) => {
        revision++;
        const { lastInsertRowid } = insert.run(
          request.streamName,
          revision,
          event.eventId,
          event.type,
          Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength),
        );
        firstInserted ??= Number(lastInsertRowid);
        return positionOf(BigInt(lastInsertRowid));
      });
      return { streamName: request.streamName, nextExpectedRevision: BigInt(revision), positions };
    } catch (error) {
      if (isUniqueViolation(error)) throw this.duplicateError(request, firstInserted);
      throw error;
    }
  }

  /**
   * Which of the request's ids are already stored or repeated within it. The savepoint is
   * not rolled back yet, so rows from this request itself (at or after `firstInserted`)
   * do not count as "already stored".
   */
  private duplicateError(request: AppendRequest, firstInserted = Infinity): DuplicateEventIdError {
    const seen = new Set<string>();
    const duplicates = request.events
      .map((e) => e.eventId)
      .filter((id) => {
        const repeated = seen.has(id);
        seen.add(id);
        const row = this.statements.byEventId.get(id) as EventRow | undefined;
        const stored = row !== undefined && row.position < firstInserted;
        return repeated || stored;
      });
    return new DuplicateEventIdError(duplicates);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.statements.readStream.all(
      streamName,
      Number(options.fromRevision ?? 0n),
      options.maxCount ?? -1,
    ) as EventRow[];
    return rows.map(toRecorded);
  }

  async streamRevision(streamName: string): Promise<StreamRevision | undefined> {
    const row = this.statements.lastRevision.get(streamName) as { revision: number | null };
    return row.revision === null ? undefined : BigInt(row.revision);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ? Number(options.after.commit) : 0;
    const rows = this.statements.readAll.all(after, options.maxCount) as EventRow[];
    return rows.map(toRecorded);
  }

  async findByEventIds(eventIds: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const found = new Map<string, RecordedEvent>();
    for (const id of eventIds) {
      const row = this.statements.byEventId.get(id) as EventRow | undefined;
      if (row) found.set(id, toRecorded(row));
    }
    return found;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription((o) => this.readAll(o), this.notifier, { after: options.after });
  }

  async ping(): Promise<void> {
    try {
      this.statements.ping.get();
    } catch (error) {
      throw new StoreUnavailableError('the SQLite event log does not answer', { cause: error });
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.writer.drain();
    this.db.close();
  }
}

function prepare(db: SqliteDatabase) {
  return {
    lastRevision: db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_name = ?'),
    insert: db.prepare(
      'INSERT INTO events (stream_name, revision, event_id, type, data) VALUES (?, ?, ?, ?, ?)',
    ),
    readStream: db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readAll: db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    byEventId: db.prepare(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`),
    ping: db.prepare('SELECT 1'),
  };
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: positionOf(BigInt(row.position)),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
