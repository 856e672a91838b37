import type { LogPosition } from '../../event-store';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import type { StoredRecordContent, TailEntry } from './plan-content';

/** A stored chunk (`content-chunks.ts`): its place, how many values, the sealed box. */
export interface StoredChunk {
  readonly pseudonym: string;
  readonly recordId: string;
  readonly chunkNo: number;
  readonly keyId: string;
  readonly items: number;
  readonly sealed: Buffer;
}

/** A subject's chunks and tails and the checkpoint they were committed with, read together. */
export interface ContentSnapshot {
  readonly checkpoint: LogPosition | undefined;
  /** By record, then chunk number. */
  readonly chunks: readonly StoredChunk[];
  /** By record, then in log order: each record's values after its chunks. */
  readonly tail: readonly TailEntry[];
}

/** What one batch of events changes. */
export interface ContentBatch {
  /** New chunks (a chunk, once sealed, is never written again). */
  readonly chunks: readonly StoredChunk[];
  readonly tailAdded: readonly TailEntry[];
  readonly tailRemoved: readonly TailEntry[];
  /** Records erased in the batch, with the keys destroyed (`RecordErased.destroyedKeys`). */
  readonly erased: readonly ErasedRecord[];
  /** The batch's last event. */
  readonly checkpoint: LogPosition;
}

export interface ErasedRecord {
  readonly pseudonym: string;
  readonly recordId: string;
  readonly keyIds: readonly string[];
}

/**
 * Version 2: full chunks only, and each record's last values as a tail of references. In
 * version 1 a record's last chunk was opened, grown and sealed again at every batch that
 * added to it: the worker re-sealed and rewrote up to 16 KB per value published.
 */
const SCHEMA_VERSION = 2;

/**
 * The subject-content read model (`subject-content.db`): every record's exported values,
 * sealed in chunks under the record's key, the last ones (fewer than a chunk) as references
 * to their events (`plan-content.ts`), and the last event they account for, written in one
 * transaction. Derived from the log like the other read models: dropped and rebuilt, the
 * same values come back (sealed with fresh IVs, so not the same bytes: GCM wants a nonce
 * never used twice under a key, and a rebuild re-seals under the same keys).
 *
 * No `secure_delete`: a freed page holds a chunk sealed under its record's key, which an
 * erasure destroys, exactly as the log's own boxes.
 */
export class SqliteSubjectContent {
  private readonly statements: ReturnType<typeof prepare>;

  static open(file: string): SqliteSubjectContent {
    const db = openDatabase(file);
    // Derived data: a power cut may lose the last commits, never consistency (WAL), and the
    // checkpoint goes back with them, so the same events are applied again.
    db.pragma('synchronous = NORMAL');
    return new SqliteSubjectContent(db);
  }

  constructor(private readonly db: SqliteDatabase) {
    migrate(db);
    this.statements = prepare(db);
  }

  checkpoint(): LogPosition | undefined {
    const row = this.statements.checkpoint.get() as CheckpointRow | undefined;
    return row && { commit: row.commit_pos, prepare: row.prepare_pos };
  }

  /** The subject's chunks and tails and the checkpoint, from one read transaction. */
  snapshot(pseudonym: string): ContentSnapshot {
    return this.db.transaction(() => ({
      checkpoint: this.checkpoint(),
      chunks: (this.statements.chunksOf.all(pseudonym) as ChunkRow[]).map(storedChunk),
      tail: (this.statements.tailOfSubject.all(pseudonym) as TailRow[]).map(tailEntry),
    }))();
  }

  /** A record's last chunk number and its tail. */
  recordContent(pseudonym: string, recordId: string): StoredRecordContent {
    const s = this.statements;
    const lastChunkNo = s.lastChunkNo.pluck().get(pseudonym, recordId) as number | null;
    const tail = (s.tailOfRecord.all(pseudonym, recordId) as TailRow[]).map(tailEntry);
    return { lastChunkNo: lastChunkNo ?? undefined, tail };
  }

  /**
   * Writes the new chunks and tail entries, deletes the tail entries that left, then what
   * erased records hold under their destroyed keys, and moves the checkpoint, all or nothing.
   * `beforeCommit` (fault injection for tests) runs inside the transaction, after the writes.
   */
  commit(batch: ContentBatch, beforeCommit?: () => void): void {
    const s = this.statements;
    this.db
      .transaction(() => {
        for (const c of batch.chunks) {
          s.insertChunk.run(c.pseudonym, c.recordId, c.chunkNo, c.keyId, c.items, c.sealed);
        }
        for (const e of batch.tailAdded) {
          s.insertTail.run(e.pseudonym, e.recordId, e.revision, e.boxNo, e.eventId, e.keyId);
        }
        for (const e of batch.tailRemoved) {
          s.deleteTail.run(e.pseudonym, e.recordId, e.revision, e.boxNo);
        }
        for (const { pseudonym, recordId, keyIds } of batch.erased) {
          for (const keyId of keyIds) {
            s.deleteChunks.run(pseudonym, recordId, keyId);
            s.deleteTailOfKey.run(pseudonym, recordId, keyId);
          }
        }
        s.putCheckpoint.run(batch.checkpoint.commit, batch.checkpoint.prepare);
        beforeCommit?.();
      })
      .immediate();
  }

  /** Forgets everything: the runner then rebuilds from the start of the log. */
  drop(): void {
    this.db
      .transaction(() => {
        this.db.exec(
          'DELETE FROM content_chunks; DELETE FROM content_tail; DELETE FROM content_checkpoint;',
        );
      })
      .immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface CheckpointRow {
  commit_pos: bigint;
  prepare_pos: bigint;
}

interface ChunkRow {
  pseudonym: string;
  record_id: string;
  chunk_no: number;
  key_id: string;
  items: number;
  sealed: Buffer;
}

interface TailRow {
  pseudonym: string;
  record_id: string;
  revision: number;
  box_no: number;
  event_id: string;
  key_id: string;
}

function tailEntry(row: TailRow): TailEntry {
  return {
    pseudonym: row.pseudonym,
    recordId: row.record_id,
    revision: row.revision,
    boxNo: row.box_no,
    eventId: row.event_id,
    keyId: row.key_id,
  };
}

function storedChunk(row: ChunkRow): StoredChunk {
  return {
    pseudonym: row.pseudonym,
    recordId: row.record_id,
    chunkNo: row.chunk_no,
    keyId: row.key_id,
    items: row.items,
    sealed: row.sealed,
  };
}

function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`subject content schema ${version} is newer than this ledger`);
    }
    if (version === SCHEMA_VERSION) return;
    // Derived data: an older layout is dropped, and the runner rebuilds from the log.
    db.exec(`
      DROP TABLE IF EXISTS content_chunks;
      DROP TABLE IF EXISTS content_tail;
      DROP TABLE IF EXISTS content_checkpoint;
      CREATE TABLE content_chunks (
        pseudonym TEXT    NOT NULL,
        record_id TEXT    NOT NULL,
        chunk_no  INTEGER NOT NULL,
        key_id    TEXT    NOT NULL,
        items     INTEGER NOT NULL,
        sealed    BLOB    NOT NULL,
        PRIMARY KEY (pseudonym, record_id, chunk_no)
      ) WITHOUT ROWID;
      CREATE TABLE content_tail (
        pseudonym TEXT    NOT NULL,
        record_id TEXT    NOT NULL,
        revision  INTEGER NOT NULL,
        box_no    INTEGER NOT NULL,
        event_id  TEXT    NOT NULL,
        key_id    TEXT    NOT NULL,
        PRIMARY KEY (pseudonym, record_id, revision, box_no)
      ) WITHOUT ROWID;
      CREATE TABLE content_checkpoint (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        commit_pos  INTEGER NOT NULL,
        prepare_pos INTEGER NOT NULL
      );
    `);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    // Immediate: the API's thread and the worker's open the file at the same time, and a
    // read lock taken first could not become the write lock the other one took meanwhile.
  }).immediate();
}

function prepare(db: SqliteDatabase) {
  return {
    checkpoint: db
      .prepare('SELECT commit_pos, prepare_pos FROM content_checkpoint WHERE id = 1')
      .safeIntegers(true),
    putCheckpoint: db.prepare(
      `INSERT INTO content_checkpoint (id, commit_pos, prepare_pos) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET commit_pos = excluded.commit_pos,
                                      prepare_pos = excluded.prepare_pos`,
    ),
    chunksOf: db.prepare(
      'SELECT * FROM content_chunks WHERE pseudonym = ? ORDER BY record_id, chunk_no',
    ),
    lastChunkNo: db.prepare(
      'SELECT max(chunk_no) FROM content_chunks WHERE pseudonym = ? AND record_id = ?',
    ),
    tailOfSubject: db.prepare(
      'SELECT * FROM content_tail WHERE pseudonym = ? ORDER BY record_id, revision, box_no',
    ),
    tailOfRecord: db.prepare(
      `SELECT * FROM content_tail WHERE pseudonym = ? AND record_id = ?
       ORDER BY revision, box_no`,
    ),
    deleteChunks: db.prepare(
      'DELETE FROM content_chunks WHERE pseudonym = ? AND record_id = ? AND key_id = ?',
    ),
    deleteTailOfKey: db.prepare(
      'DELETE FROM content_tail WHERE pseudonym = ? AND record_id = ? AND key_id = ?',
    ),
    // Plain inserts: a batch is applied once (its checkpoint commits with it), so a row
    // already there is a fault to fail on, not to paper over.
    insertChunk: db.prepare(
      `INSERT INTO content_chunks (pseudonym, record_id, chunk_no, key_id, items, sealed)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertTail: db.prepare(
      `INSERT INTO content_tail (pseudonym, record_id, revision, box_no, event_id, key_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deleteTail: db.prepare(
      'DELETE FROM content_tail WHERE pseudonym = ? AND record_id = ? AND revision = ? AND box_no = ?',
    ),
  };
}
