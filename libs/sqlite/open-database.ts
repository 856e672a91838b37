import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

/**
 * Opens a SQLite file the way every store of the ledger wants it: WAL so readers never
 * wait for the writer, `synchronous=FULL` so that a commit that returned survives a power
 * cut, a busy timeout so that a second process (api and worker apart) waits its turn.
 */
export function openDatabase(
  file: string,
  options: { secureDelete?: boolean } = {},
): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Freed pages are overwritten with zeros, so that a destroyed key does not linger in the
  // file's free list (crypto-shredding depends on it).
  if (options.secureDelete) db.pragma('secure_delete = ON');
  return db;
}
