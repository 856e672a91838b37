import { GroupCommit } from '../sqlite/group-commit';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database';
import type {
  DataKey,
  KeyDestruction,
  KeyVault,
  LiveKey,
  RecordErasure,
  RecordKeyRef,
} from './key-vault.port';
import { keyEncryptionKey, type MasterKey, subjectIndexKey, subjectSealKey } from './master-key';
import { SqliteDataKeys } from './sqlite-data-keys';
import { SqliteSubjectLinks } from './sqlite-subject-links';
import { WalTruncator } from './wal-truncate';
import { prepareVault } from './sqlite-vault-schema';

export interface SqliteKeyVaultOptions {
  /**
   * Entries of each in-memory LRU cache (unwrapped keys by id, key ids by record, pseudonyms
   * by subject id, subject ids by pseudonym). Measured on the main thread's heap: the
   * caches full at 50,000 entries held 38 MB (strings, Map tables, a Buffer per key); 20,000
   * (~15 MB) still lets a hot publisher path skip SQLite and unwrapping.
   */
  readonly cacheEntries?: number;
}

const DEFAULT_CACHE_ENTRIES = 20_000;

/**
 * The embedded key vault: its own SQLite file (`<dataDir>/vault.db`), secure_delete on, every
 * write through one group commit. Caches are per connection: before every call the vault
 * asks SQLite whether another connection (the worker thread's saga, another process)
 * committed since, and if so drops them, so a key destroyed or a subject forgotten elsewhere
 * is never served from memory here.
 */
export class SqliteKeyVault implements KeyVault {
  private readonly commit: GroupCommit;
  private readonly dataKeys: SqliteDataKeys;
  private readonly subjects: SqliteSubjectLinks;
  private readonly wal: WalTruncator;
  private closed = false;
  private seenVersion: number;
  // Prepared once: `db.pragma()` compiles its statement at every call (12 us against 0.7,
  // measured), and this runs before every call to the vault.
  private readonly dataVersionStatement;

  constructor(
    private readonly db: SqliteDatabase,
    masterKey: MasterKey,
    options: SqliteKeyVaultOptions = {},
  ) {
    const cacheEntries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
    const kek = keyEncryptionKey(masterKey);
    prepareVault(db, kek);
    this.commit = new GroupCommit(db);
    const wal = (this.wal = new WalTruncator(db));
    this.dataKeys = new SqliteDataKeys(db, this.commit, kek, cacheEntries, wal);
    this.subjects = new SqliteSubjectLinks(
      db,
      this.commit,
      subjectIndexKey(masterKey),
      subjectSealKey(masterKey),
      cacheEntries,
      wal,
    );
    this.dataVersionStatement = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.seenVersion = this.dataVersion();
  }

  /**
   * `PRAGMA data_version` changes when another connection commits to the file (never for
   * this connection's own commits): about a microsecond, once per call, not per key.
   */
  private dropCachesIfChangedElsewhere(): void {
    const version = this.dataVersion();
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.dataKeys.clearCaches();
    this.subjects.clearCaches();
  }

  private dataVersion(): number {
    return this.dataVersionStatement.get()!;
  }

  dataKeysFor(refs: readonly RecordKeyRef[]): Promise<DataKey[]> {
    this.dropCachesIfChangedElsewhere();
    return this.dataKeys.dataKeysFor(refs);
  }
  dataKey(keyId: string): Promise<Buffer | undefined> {
    this.dropCachesIfChangedElsewhere();
    return this.dataKeys.dataKey(keyId);
  }
  destroyDataKey(keyId: string): Promise<KeyDestruction> {
    this.dropCachesIfChangedElsewhere();
    return this.dataKeys.destroyDataKey(keyId);
  }

  /**
   * One piece of the group commit for the whole record (a piece each for the keys and the
   * link cost the saga two commits and two WAL truncations per group of erasures).
   */
  async eraseRecordKeys({
    keyIds,
    forgetSubject,
    keepSubjectId,
  }: RecordErasure): Promise<KeyDestruction[]> {
    this.dropCachesIfChangedElsewhere();
    const { destroyed, forgotten } = await this.commit.run(() => ({
      destroyed: keyIds.map((keyId) => this.dataKeys.destroyWithin(keyId)),
      forgotten:
        forgetSubject === undefined
          ? undefined
          : this.subjects.forgetWithin(forgetSubject, { keepSubjectId }),
    }));
    for (const key of destroyed) this.dataKeys.evictDestroyed(key);
    if (forgotten !== undefined) this.subjects.evictForgotten(forgotten);
    await this.wal.truncate();
    return destroyed.map((key) => key.destruction);
  }

  liveKeysOf(owner: string): Promise<LiveKey[]> {
    this.dropCachesIfChangedElsewhere();
    return this.dataKeys.liveKeysOf(owner);
  }
  pseudonymOf(subjectId: string, options: { create: boolean }): Promise<string | undefined> {
    this.dropCachesIfChangedElsewhere();
    return this.subjects.pseudonymOf(subjectId, options);
  }
  pseudonymsOf(subjectIds: readonly string[]): Promise<string[]> {
    this.dropCachesIfChangedElsewhere();
    return this.subjects.pseudonymsOf(subjectIds);
  }
  subjectIdOf(pseudonym: string): Promise<string | undefined> {
    this.dropCachesIfChangedElsewhere();
    return this.subjects.subjectIdOf(pseudonym);
  }
  forgetSubject(pseudonym: string): Promise<void> {
    this.dropCachesIfChangedElsewhere();
    return this.subjects.forgetSubject(pseudonym);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Work queued before close lands in this batch or an earlier one: let it commit first.
    await this.commit.drain();
    this.db.close();
  }
}

/** Opens (creating when missing) the vault file; ':memory:' for tests. */
export function openSqliteKeyVault(
  file: string,
  masterKey: MasterKey,
  options: SqliteKeyVaultOptions = {},
): SqliteKeyVault {
  const db = openDatabase(file, { secureDelete: true, memoryTempStore: true });
  try {
    return new SqliteKeyVault(db, masterKey, options);
  } catch (error) {
    db.close();
    throw error;
  }
}
