import type { SqliteDatabase } from '../sqlite/open-database';
import { WalNotTruncatedError } from './crypto.errors';

/**
 * After a destruction commits, older versions of the deleted row still sit in the WAL (and
 * a plain checkpoint leaves the file's bytes in place). TRUNCATE copies the zeroed pages
 * (secure_delete) into the database and cuts the WAL to zero bytes. Must run outside a
 * transaction; for ':memory:' it is a harmless no-op.
 */
export function truncateWal(db: SqliteDatabase): void {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (result !== undefined && result.busy !== 0) throw new WalNotTruncatedError();
}

/**
 * One truncation for every destruction committed in the same group: the saga destroys many
 * keys at once, and a truncation per key cost a quarter of its time (profiled). A caller
 * resolves once a truncation that started after its own commit has run.
 */
export class WalTruncator {
  private next?: Promise<void>;

  constructor(private readonly db: SqliteDatabase) {}

  truncate(): Promise<void> {
    this.next ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.next = undefined;
        try {
          truncateWal(this.db);
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    return this.next;
  }
}
