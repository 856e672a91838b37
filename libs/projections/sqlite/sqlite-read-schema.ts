import type { SqliteDatabase } from '../../sqlite/open-database';

/**
 * The read models of the retention schedule. Deterministic content only (no processing
 * times), so that a rebuild from the log gives the same rows, byte for byte.
 * - `subjects`: each subject's state (`encodeStoredState`) and its records per purpose and phase
 *   (the compliance summary's share); `dirty` marks a state whose read model is still to be
 *   recomputed (catch-up writes states only). The schedule itself is not stored: it is
 *   computed from the state when read, under the policy in force.
 * - `deadlines`: one row per record whose next action is known, indexed by due date so
 *   that "what is due before X" never scans the subjects.
 * - `checkpoints`: the last event each projection accounted for, and the settings (policy)
 *   its read models were computed with.
 * - `policy_changes`, `deadlines_before_change`: what the last policy change moved.
 */
const SCHEMA_VERSION = 3;

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

/**
 * Version 3 stopped storing each subject's schedule (version 1 and 2 kept it as JSON). Read
 * models are derived: an older file is emptied, checkpoint included, and filled again from
 * the log, which is simpler and safer than converting rows.
 */
function migrateToCurrent(db: SqliteDatabase, version: number): void {
  db.transaction(() => {
    if (version > 0) {
      db.exec(`
        DROP TABLE IF EXISTS subjects;
        DROP TABLE IF EXISTS deadlines;
        DROP TABLE IF EXISTS checkpoints;
        DROP TABLE IF EXISTS policy_changes;
        DROP TABLE IF EXISTS deadlines_before_change;
      `);
    }
    createCurrent(db);
  })();
}

/**
 * The columns of `deadlines` and of `deadlines_before_change`, written once: the baseline is
 * copied from the deadlines with `INSERT ... SELECT` and compared with them column for column.
 */
const DEADLINE_COLUMNS = `
      pseudonym TEXT NOT NULL,
      record_id TEXT NOT NULL,
      action    TEXT NOT NULL,
      due_at    TEXT NOT NULL,
      PRIMARY KEY (pseudonym, record_id)
    `;

function createCurrent(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE subjects (
      pseudonym      TEXT    PRIMARY KEY,
      state          TEXT    NOT NULL,
      purpose_phases TEXT,
      dirty          INTEGER NOT NULL
    );
    CREATE INDEX subjects_dirty ON subjects (pseudonym) WHERE dirty = 1;
    CREATE TABLE deadlines (${DEADLINE_COLUMNS}) WITHOUT ROWID;
    CREATE INDEX deadlines_by_due ON deadlines (due_at, pseudonym, record_id);
    CREATE TABLE checkpoints (
      projection TEXT PRIMARY KEY,
      position   TEXT NOT NULL,
      settings   TEXT NOT NULL
    ) WITHOUT ROWID;
    -- When the settings (the policy) change, the deadlines as they stood are kept aside, to
    -- be compared with the recomputed ones.
    CREATE TABLE policy_changes (
      projection    TEXT PRIMARY KEY,
      settings_from TEXT NOT NULL,
      settings_to   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE deadlines_before_change (${DEADLINE_COLUMNS}) WITHOUT ROWID;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}
