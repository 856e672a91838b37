import { randomBytes, randomUUID } from 'node:crypto';
import type { GroupCommit } from '../sqlite/group-commit';
import type { SqliteDatabase } from '../sqlite/open-database';
import { KEY_BYTES, open, seal } from './aead';
import { KeyNotFoundError } from './crypto.errors';
import { keyFingerprint } from './key-fingerprint';
import type { DataKey, KeyDestruction, LiveKey, RecordKeyRef } from './key-vault.port';
import { LruCache } from './lru-cache';
import type { WalTruncator } from './wal-truncate';

interface KeyRow {
  key_id: string;
  wrapped: Buffer;
}

/**
 * The data-key half of the SQLite vault. Writes go through the group commit; cache updates
 * happen after the commit returned, in the batch's order (so a destruction queued after a
 * lookup of the same key evicts what that lookup cached). Reads that miss the caches read
 * SQLite directly: better-sqlite3 is synchronous, so no transaction is ever half-open then.
 */
export class SqliteDataKeys {
  private readonly keysById: LruCache<string, Buffer>;
  // Whole keys, not key ids: a publish then finds each of its keys in one lookup.
  private readonly keysByRef: LruCache<string, DataKey>;
  private readonly sql;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly commit: GroupCommit,
    private readonly keyEncryptionKey: Buffer,
    cacheEntries: number,
    private readonly wal: WalTruncator,
  ) {
    this.keysById = new LruCache(cacheEntries);
    this.keysByRef = new LruCache(cacheEntries);
    this.sql = {
      byRef: db.prepare<[string, string, string], KeyRow>(
        'SELECT key_id, wrapped FROM data_keys WHERE owner = ? AND record_key = ? AND category = ?',
      ),
      byId: db.prepare<[string], KeyRow & RecordKeyRefRow>(
        'SELECT key_id, wrapped, owner, record_key, category FROM data_keys WHERE key_id = ?',
      ),
      insert: db.prepare<[string, string, string, string, Buffer]>(
        'INSERT INTO data_keys (key_id, owner, record_key, category, wrapped) VALUES (?, ?, ?, ?, ?)',
      ),
      delete: db.prepare<[string]>('DELETE FROM data_keys WHERE key_id = ?'),
      tombstone: db.prepare<[string], { fingerprint: string }>(
        'SELECT fingerprint FROM destroyed_keys WHERE key_id = ?',
      ),
      insertTombstone: db.prepare<[string, string]>(
        'INSERT INTO destroyed_keys (key_id, fingerprint) VALUES (?, ?)',
      ),
      liveOf: db.prepare<[string], { key_id: string; record_key: string; category: string }>(
        'SELECT key_id, record_key, category FROM data_keys WHERE owner = ? ORDER BY record_key, category, key_id',
      ),
    };
  }

  /** Forgets what is cached (another connection destroyed keys). */
  clearCaches(): void {
    this.keysById.clear();
    this.keysByRef.clear();
  }

  async dataKeysFor(refs: readonly RecordKeyRef[]): Promise<DataKey[]> {
    const keys = refs.map((ref) => this.keysByRef.get(refKey(ref)) ?? this.stored(ref));
    const missing = keys.flatMap((key, i) => (key === undefined ? [i] : []));
    if (missing.length === 0) return keys as DataKey[];
    // One piece of work for the keys to create: one savepoint, one commit. Within the
    // transaction pieces run one after the other, so find-or-create cannot race itself.
    const found = await this.commit.run(() => missing.map((i) => this.findOrCreate(refs[i])));
    missing.forEach((i, j) => {
      keys[i] = found[j];
      this.remember(refs[i], found[j]);
    });
    return keys as DataKey[];
  }

  async dataKey(keyId: string): Promise<Buffer | undefined> {
    const cached = this.keysById.get(keyId);
    if (cached !== undefined) return cached;
    const row = this.sql.byId.get(keyId);
    if (row === undefined) return undefined;
    const key = this.unwrap(row);
    this.keysById.set(keyId, key);
    return key;
  }

  async destroyDataKey(keyId: string): Promise<KeyDestruction> {
    const destroyed = await this.commit.run(() => this.destroyWithin(keyId));
    this.evictDestroyed(destroyed);
    // Also on a repeated destruction: a retry after WalNotTruncatedError finishes the job.
    await this.wal.truncate();
    return destroyed.destruction;
  }

  /**
   * Destroys the key inside the caller's piece of a group commit (`evictDestroyed` once it
   * committed). Destroyed already: the tombstone's fingerprint again.
   */
  destroyWithin(keyId: string): KeyDestroyed {
    const row = this.sql.byId.get(keyId);
    if (row === undefined) {
      const tombstone = this.sql.tombstone.get(keyId);
      if (tombstone === undefined) throw new KeyNotFoundError(keyId);
      return { destruction: { keyId, fingerprint: tombstone.fingerprint }, ref: undefined };
    }
    const fingerprint = keyFingerprint(keyId, this.unwrap(row));
    this.sql.insertTombstone.run(keyId, fingerprint);
    this.sql.delete.run(keyId);
    return { destruction: { keyId, fingerprint }, ref: refOf(row) };
  }

  evictDestroyed({ destruction, ref }: KeyDestroyed): void {
    this.keysById.delete(destruction.keyId);
    if (ref !== undefined) this.keysByRef.delete(refKey(ref));
  }

  async liveKeysOf(owner: string): Promise<LiveKey[]> {
    return this.sql.liveOf
      .all(owner)
      .map((row) => ({ keyId: row.key_id, recordKey: row.record_key, category: row.category }));
  }

  private remember(ref: RecordKeyRef, dataKey: DataKey): void {
    this.keysByRef.set(refKey(ref), dataKey);
    this.keysById.set(dataKey.keyId, dataKey.key);
  }

  /**
   * A key that exists but was not cached (evicted, or first asked for since the start), read
   * without the group commit: only a key to create needs its write transaction. Through it, a
   * miss waited for the next turn of the event loop and for the write lock, which the saga's
   * connection holds while it erases (BEGIN IMMEDIATE blocks the whole request thread for
   * that time). Cached at once; a destruction queued meanwhile evicts it once committed.
   */
  private stored(ref: RecordKeyRef): DataKey | undefined {
    const dataKey = this.read(ref);
    if (dataKey !== undefined) this.remember(ref, dataKey);
    return dataKey;
  }

  private read(ref: RecordKeyRef): DataKey | undefined {
    const row = this.sql.byRef.get(ref.owner, ref.recordKey, ref.category);
    return row && { keyId: row.key_id, key: this.unwrap(row) };
  }

  private findOrCreate(ref: RecordKeyRef): DataKey {
    const stored = this.read(ref);
    if (stored !== undefined) return stored;
    // Random id: no pseudonym, record key or category can be read back from it.
    const keyId = randomUUID();
    const key = randomBytes(KEY_BYTES);
    this.sql.insert.run(
      keyId,
      ref.owner,
      ref.recordKey,
      ref.category,
      seal(this.keyEncryptionKey, key, wrapAad(keyId)),
    );
    return { keyId, key };
  }

  private unwrap(row: KeyRow): Buffer {
    return open(this.keyEncryptionKey, row.wrapped, wrapAad(row.key_id));
  }
}

/** A destruction as committed, and the ref whose cached key it evicts (none when repeated). */
export interface KeyDestroyed {
  readonly destruction: KeyDestruction;
  readonly ref: RecordKeyRef | undefined;
}

interface RecordKeyRefRow {
  owner: string;
  record_key: string;
  category: string;
}

function refOf(row: RecordKeyRefRow): RecordKeyRef {
  return { owner: row.owner, recordKey: row.record_key, category: row.category };
}

/**
 * Unambiguous whatever characters the parts contain: the first two are length-prefixed.
 * Cheaper than the JSON of the three, and built for every event published.
 */
function refKey(ref: RecordKeyRef): string {
  return `${ref.owner.length}:${ref.owner}${ref.category.length}:${ref.category}${ref.recordKey}`;
}

/** The key id binds the wrapped key to its row. */
function wrapAad(keyId: string): Buffer {
  return Buffer.from(keyId, 'utf8');
}
