import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import { AppendNotifier } from '../append-notifier';
import { StoreUnavailableError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  LogPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamRevision,
  StreamEventText,
  StreamsByNameOptions,
  StreamText,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { positionOf } from '../log-position';
import { pollingSubscription } from '../polling-subscription';
import { migrateEventLog } from './sqlite-schema';
import { SqliteWriterClient } from './sqlite-writer.client';

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
 * The embedded log: one SQLite file, WAL, `synchronous=FULL`. Appends go to one writer
 * thread with group commit (an append resolves only after the commit that holds it
 * returned); reads use this thread's own connection, which WAL never makes wait.
 */
export class SqliteEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();
  private readonly statements: ReturnType<typeof prepare>;
  private writer?: SqliteWriterClient;

  static open(file: string): SqliteEventStore {
    const db = openDatabase(file);
    migrateEventLog(db);
    return new SqliteEventStore(db, file);
  }

  /** Without a file to write to, the store only reads (an auditor's copy, a test's check). */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writableFile?: string,
  ) {
    this.statements = prepare(db);
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result;
  }

  appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (!this.writableFile) {
      return Promise.reject(new StoreUnavailableError('this event store was opened read-only'));
    }
    // Started on the first append: a store that only reads needs no writer thread.
    this.writer ??= new SqliteWriterClient(this.writableFile, () => this.notifier.notify());
    return this.writer.append(requests);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Number(options.fromRevision ?? 0n);
    // Rows as arrays, as readAll: a subject export reads 10,000-event streams (bench/export).
    const rows = (
      options.maxCount === undefined
        ? this.statements.readStream.all(streamName, from)
        : this.statements.readStreamUpTo.all(streamName, from, options.maxCount)
    ) as EventTuple[];
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = fromTuple(rows[i]);
    return events;
  }

  async readStreamText(streamName: string): Promise<StreamText> {
    // The payload cast to TEXT comes over as a string, without a Buffer per row; only the
    // last row's position becomes a LogPosition.
    const rows = this.statements.readStreamText.all(streamName) as [number, string][];
    const payloads = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) payloads[i] = rows[i][1];
    const last = rows.at(-1);
    return { payloads, lastPosition: last && positionOf(BigInt(last[0])) };
  }

  async streamRevision(streamName: string): Promise<StreamRevision | undefined> {
    const row = this.statements.lastRevision.get(streamName) as { revision: number | null };
    return row.revision === null ? undefined : BigInt(row.revision);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ? Number(options.after.commit) : 0;
    // Rows as arrays: no object with named columns built per row and then copied (the log
    // is read in full by every rebuild; ~1 us an event saved, profiled).
    const rows = this.statements.readAll.all(after, options.maxCount) as EventTuple[];
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = fromTuple(rows[i]);
    return events;
  }

  async findByEventIds(eventIds: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const found = new Map<string, RecordedEvent>();
    if (eventIds.length === 0) return found;
    // One statement for the whole batch: a statement per id cost twice the CPU.
    const rows = this.statements.byEventIds.all(JSON.stringify(eventIds)) as EventRow[];
    for (const row of rows) found.set(row.event_id, toRecorded(row));
    return found;
  }

  /** The log's file, for another thread to open its own connection to; undefined read-only. */
  get file(): string | undefined {
    return this.writableFile;
  }

  /**
   * Stream names that cut the streams starting with `prefix` into `parts` ranges of about as
   * many events (`parts - 1` names, each the first of its range), from the stream index
   * alone: for threads that read a range each.
   */
  splitStreamNames(prefix: string, parts: number): string[] {
    const end = prefixEnd(prefix);
    const count = this.statements.countInRange.pluck().get(prefix, end) as number;
    const cuts: string[] = [];
    for (let i = 1; i < parts; i++) {
      const name = this.statements.nameAtOffset
        .pluck()
        .get(prefix, end, Math.floor((count * i) / parts)) as string | undefined;
      if (name !== undefined && name !== cuts.at(-1)) cuts.push(name);
    }
    return cuts;
  }

  async headPosition(): Promise<LogPosition | undefined> {
    const head = this.statements.head.pluck().get() as number | null;
    return head === null ? undefined : positionOf(BigInt(head));
  }

  async readStreamsByName(options: StreamsByNameOptions): Promise<StreamEventText[]> {
    const { prefix, after, upTo, maxCount } = options;
    // The index on (stream_name, revision) serves the range: no sort, no scan of the log.
    const rows = this.statements.streamsByName.all(
      after?.streamName ?? prefix,
      after === undefined ? -1 : Number(after.revision),
      prefixEnd(prefix),
      Number(upTo.commit),
      maxCount,
    ) as Array<[string, number, string]>;
    const events: StreamEventText[] = [];
    for (const [streamName, revision, text] of rows) {
      if (streamName.startsWith(prefix))
        events.push({ streamName, revision: BigInt(revision), text });
    }
    return events;
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
    await this.writer?.close();
    this.db.close();
  }
}

function prepare(db: SqliteDatabase) {
  return {
    lastRevision: db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_name = ?'),
    // Two statements: SQLite plans `LIMIT ?` for the value bound, so binding one compiles the
    // statement again at every call (53 us instead of 15 for a one-event stream, measured);
    // a read of a whole stream (every decision's, the saga's) binds no limit.
    readStream: db
      .prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision`,
      )
      .raw(),
    readStreamUpTo: db
      .prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(),
    readStreamText: db
      .prepare(
        'SELECT position, CAST(data AS TEXT) FROM events WHERE stream_name = ? ORDER BY revision',
      )
      .raw(),
    readAll: db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
      .raw(),
    byEventIds: db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE event_id IN (SELECT value FROM json_each(?))`,
    ),
    head: db.prepare('SELECT max(position) FROM events'),
    countInRange: db.prepare(
      'SELECT count(*) FROM events WHERE stream_name >= ? AND stream_name < ?',
    ),
    nameAtOffset: db.prepare(
      `SELECT stream_name FROM events WHERE stream_name >= ? AND stream_name < ?
       ORDER BY stream_name LIMIT 1 OFFSET ?`,
    ),
    streamsByName: db
      .prepare(
        `SELECT stream_name, revision, CAST(data AS TEXT) FROM events
         WHERE (stream_name, revision) > (?, ?) AND stream_name < ? AND position <= ?
         ORDER BY stream_name, revision LIMIT ?`,
      )
      .raw(),
    ping: db.prepare('SELECT 1'),
  };
}

/** The first string after every one that starts with `prefix` (its last character bumped). */
function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** A row of `COLUMNS` in order. */
type EventTuple = [number, string, number, string, string, Buffer];

function fromTuple([
  position,
  streamName,
  revision,
  eventId,
  type,
  data,
]: EventTuple): RecordedEvent {
  const sequence = BigInt(position);
  return {
    eventId,
    type,
    data,
    streamName,
    revision: BigInt(revision),
    position: { commit: sequence, prepare: sequence },
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
