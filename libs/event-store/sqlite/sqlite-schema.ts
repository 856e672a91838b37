import type { SqliteDatabase } from '../../sqlite/open-database';

/**
 * One table, the log. `position` is the global order (SQLite's rowid, 1, 2, 3, never
 * reused because nothing is ever deleted); the two unique indexes are the stream's
 * optimistic concurrency and the publishers' idempotency, forever.
 */
const SCHEMA_VERSION = 1;

export function migrateEventLog(db: SqliteDatabase): void {
  // Immediate: of two processes opening a new file, one migrates, the other then sees it done.
  db.transaction(() => migrate(db)).immediate();
}

function migrate(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`event log schema ${version} is newer than this ledger (${SCHEMA_VERSION})`);
  }
  if (version === SCHEMA_VERSION) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position    INTEGER PRIMARY KEY,
      stream_name TEXT    NOT NULL,
      revision    INTEGER NOT NULL,
      event_id    TEXT    NOT NULL,
      type        TEXT    NOT NULL,
      data        BLOB    NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_name, revision);
    CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}
