import type { SqliteDatabase } from '../../sqlite/open-database';

/**
 * The read models of the retention schedule. Deterministic content only (no processing
 * times), so that a rebuild from the log gives the same rows, byte for byte.
 * - `subjects`: each subject's state (canonical JSON) and schedule; `dirty` marks a state
 *   whose schedule is still to be recomputed (catch-up writes states only).
 * - `deadlines`: one row per record whose next action is known, indexed by due date so
 *   that "what is due before X" never scans the subjects.
 * - `checkpoints`: the last event each projection accounted for, and the settings (policy)
 *   its read models were computed with.
 */
const SCHEMA_VERSION = 2;

export function migrateReadModels(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`read-model schema ${version} is newer than this ledger (${SCHEMA_VERSION})`);
  }
  if (version < SCHEMA_VERSION) migrateToCurrent(db, version);
}

/**
 * Inserting 840,000 deadlines (100,000 subjects) in chunks of 500 subjects took 13.8 s with
 * this index kept up to date (its pages, dirtied at random by due date, are written to the
 * WAL again at every commit) against 2.3 s without it plus 1.6 s to build it once after
 * (measured). A projection filled from nothing therefore sets it aside, and builds it when it
 * first catches up (also after a crash in between: only the writer does either).
 */
export function dropDeadlinesIndex(db: SqliteDatabase): void {
  db.exec('DROP INDEX IF EXISTS deadlines_by_due');
}

export function createDeadlinesIndex(db: SqliteDatabase): void {
  db.exec(
    'CREATE INDEX IF NOT EXISTS deadlines_by_due ON deadlines (due_at, pseudonym, record_id)',
  );
}

function migrateToCurrent(db: SqliteDatabase, version: number): void {
  if (version < 1) createVersion1(db);
  // Version 2: what a policy change moved. When the settings (the policy) change, the
  // deadlines as they stood are kept aside, to be compared with the recomputed ones.
  db.exec(`
    CREATE TABLE IF NOT EXISTS policy_changes (
      projection    TEXT PRIMARY KEY,
      settings_from TEXT NOT NULL,
      settings_to   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS deadlines_before_change (
      pseudonym TEXT NOT NULL,
      record_id TEXT NOT NULL,
      action    TEXT NOT NULL,
      due_at    TEXT NOT NULL,
      PRIMARY KEY (pseudonym, record_id)
    ) WITHOUT ROWID;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}

function createVersion1(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS subjects (
      pseudonym TEXT    PRIMARY KEY,
      state     TEXT    NOT NULL,
      schedule  TEXT,
      dirty     INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS subjects_dirty ON subjects (pseudonym) WHERE dirty = 1;
    CREATE TABLE IF NOT EXISTS deadlines (
      pseudonym TEXT NOT NULL,
      record_id TEXT NOT NULL,
      action    TEXT NOT NULL,
      due_at    TEXT NOT NULL,
      PRIMARY KEY (pseudonym, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS deadlines_by_due ON deadlines (due_at, pseudonym, record_id);
    CREATE TABLE IF NOT EXISTS checkpoints (
      projection TEXT PRIMARY KEY,
      position   TEXT NOT NULL,
      settings   TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}
