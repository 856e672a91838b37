import Database from 'better-sqlite3';

/** SQLite's own check of a file ("ok" when sound), on a connection of its own. */
export function integrityOf(file: string): unknown {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}
