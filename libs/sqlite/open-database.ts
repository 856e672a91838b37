import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

/**
 * Page cache per connection, in MB, unless a store says otherwise: SQLite's own default. The
 * ledger holds a dozen connections (log, vault, read models, commands, audit tree; on the
 * request thread and again on the projection thread). 1 MB each saved a few MB of RSS but made
 * publishing slower: HTTP batches of 100 at 2,611 events/s against 2,393 at 1 MB (three runs
 * each, alternated, bench http-batch), the log's and the vault's index lookups missing more.
 */
const DEFAULT_CACHE_MB = 2;

/**
 * Opens a SQLite file the way every store of the ledger wants it: WAL so readers never
 * wait for the writer, `synchronous=FULL` so that a commit that returned survives a power
 * cut, a busy timeout so that a second process (api and worker apart) waits its turn.
 */
export function openDatabase(
  file: string,
  options: {
    secureDelete?: boolean;
    memoryTempStore?: boolean;
    cacheMb?: number;
    /** Read the file through a memory map of up to this size (SQLite's `mmap_size`). */
    mmapMb?: number;
  } = {},
): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${Math.round((options.cacheMb ?? DEFAULT_CACHE_MB) * 1024)}`);
  switchToWal(db);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Freed pages are overwritten with zeros, so that a destroyed key does not linger in the
  // file's free list (crypto-shredding depends on it).
  if (options.secureDelete) db.pragma('secure_delete = ON');
  // For a group commit's connection: each piece's savepoint first copies every page it
  // changes to a statement journal, which SQLite otherwise spills to a temporary file (a
  // write per page: 6% of an erasure's CPU, profiled). Kept in memory, no copy of a page as
  // it was before a key's destruction is written to any file either.
  if (options.memoryTempStore) db.pragma('temp_store = MEMORY');
  if (options.mmapMb) db.pragma(`mmap_size = ${Math.round(options.mmapMb * 1024 * 1024)}`);
  return db;
}

const WAL_SWITCH_DEADLINE_MS = 5000;

/**
 * Two processes opening the same new file (api and worker started together) both hold a
 * shared lock and both want the exclusive one that switching to WAL needs: SQLite answers
 * SQLITE_BUSY at once rather than deadlock, so the busy timeout never applies. Try again,
 * after a short pause, until one of them has switched it (then it is a no-op).
 */
function switchToWal(db: SqliteDatabase): void {
  const deadline = Date.now() + WAL_SWITCH_DEADLINE_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      sleepSync(5 + Math.random() * 20);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
