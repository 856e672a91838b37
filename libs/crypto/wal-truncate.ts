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
