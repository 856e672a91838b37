import { createHmac, randomUUID } from 'node:crypto';
import type { GroupCommit } from '../sqlite/group-commit';
import type { SqliteDatabase } from '../sqlite/open-database';
import { open, seal } from './aead';
import { DecryptionError } from './crypto.errors';
import { LruCache } from './lru-cache';
import type { WalTruncator } from './wal-truncate';

/**
 * The subject half of the SQLite vault: platform id <-> pseudonym. A row is found by the
 * blind index HMAC(subject-index key, subject id) and holds the subject id only sealed, so
 * the file alone (without the master key) links no pseudonym to a person. In memory the
 * pseudonyms are cached by subject id, so a known subject costs no HMAC (one per event of
 * every publish); forgetting opens the deleted row's sealed id to evict its entry.
 */
export class SqliteSubjectLinks {
  private readonly pseudonymsBySubjectId: LruCache<string, string>;
  private readonly subjectIdsByPseudonym: LruCache<string, string>;
  private readonly sql;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly commit: GroupCommit,
    private readonly indexKey: Buffer,
    private readonly sealKey: Buffer,
    cacheEntries: number,
    private readonly wal: WalTruncator,
  ) {
    this.pseudonymsBySubjectId = new LruCache(cacheEntries);
    this.subjectIdsByPseudonym = new LruCache(cacheEntries);
    this.sql = {
      byIndex: db.prepare<[Buffer], { pseudonym: string }>(
        'SELECT pseudonym FROM subjects WHERE blind_index = ?',
      ),
      byPseudonym: db.prepare<[string], { sealed_subject_id: Buffer }>(
        'SELECT sealed_subject_id FROM subjects WHERE pseudonym = ?',
      ),
      insert: db.prepare<[Buffer, string, Buffer]>(
        'INSERT INTO subjects (blind_index, pseudonym, sealed_subject_id) VALUES (?, ?, ?)',
      ),
      delete: db.prepare<[string], { sealed_subject_id: Buffer }>(
        'DELETE FROM subjects WHERE pseudonym = ? RETURNING sealed_subject_id',
      ),
      leavingByPseudonym: db.prepare<[string], { sealed_subject_id: Buffer }>(
        'SELECT sealed_subject_id FROM subjects_leaving WHERE pseudonym = ?',
      ),
      keepLeaving: db.prepare<[string, Buffer]>(
        'INSERT OR IGNORE INTO subjects_leaving (pseudonym, sealed_subject_id) VALUES (?, ?)',
      ),
      deleteLeaving: db.prepare<[string], { sealed_subject_id: Buffer }>(
        'DELETE FROM subjects_leaving WHERE pseudonym = ? RETURNING sealed_subject_id',
      ),
    };
  }

  /** Forgets what is cached (another connection forgot subjects). */
  clearCaches(): void {
    this.pseudonymsBySubjectId.clear();
    this.subjectIdsByPseudonym.clear();
  }

  async pseudonymOf(subjectId: string, options: { create: boolean }): Promise<string | undefined> {
    if (options.create) return (await this.pseudonymsOf([subjectId]))[0];
    return this.pseudonymsBySubjectId.get(subjectId) ?? this.stored(subjectId);
  }

  async pseudonymsOf(subjectIds: readonly string[]): Promise<string[]> {
    const pseudonyms = subjectIds.map(
      (id) => this.pseudonymsBySubjectId.get(id) ?? this.stored(id),
    );
    const missing = pseudonyms.flatMap((p, i) => (p === undefined ? [i] : []));
    if (missing.length === 0) return pseudonyms as string[];
    const indexes = missing.map((i) => this.blindIndex(subjectIds[i]));
    // Pieces of one transaction run one after the other: 50 concurrent callers for one
    // missing id all find the row the first one inserted. One piece for all the misses.
    const found = await this.commit.run(() =>
      missing.map((i, j) => this.findOrCreate(indexes[j], subjectIds[i])),
    );
    missing.forEach((i, j) => {
      pseudonyms[i] = found[j];
      this.remember(found[j], subjectIds[i]);
    });
    return pseudonyms as string[];
  }

  async subjectIdOf(pseudonym: string): Promise<string | undefined> {
    const cached = this.subjectIdsByPseudonym.get(pseudonym);
    if (cached !== undefined) return cached;
    const row = this.sql.byPseudonym.get(pseudonym) ?? this.sql.leavingByPseudonym.get(pseudonym);
    if (row === undefined) return undefined;
    const subjectId = this.unseal(row.sealed_subject_id, pseudonym);
    this.subjectIdsByPseudonym.set(pseudonym, subjectId);
    return subjectId;
  }

  async forgetSubject(pseudonym: string): Promise<void> {
    const forgotten = await this.commit.run(() => this.forgetWithin(pseudonym));
    this.evictForgotten(forgotten);
    // The sealed id is only readable with the master key, but no old copy should remain.
    await this.wal.truncate();
  }

  /**
   * Deletes the link inside the caller's piece of a group commit (`evictForgotten` after).
   * With `keepSubjectId`, only the way from the platform id goes: the sealed id stays
   * readable by pseudonym (`subjects_leaving`) until the subject is forgotten for good.
   */
  forgetWithin(pseudonym: string, options: { keepSubjectId?: boolean } = {}): SubjectForgotten {
    const deleted = this.sql.delete.get(pseudonym);
    if (options.keepSubjectId) {
      if (deleted) this.sql.keepLeaving.run(pseudonym, deleted.sealed_subject_id);
      return { pseudonym, sealedSubjectId: deleted?.sealed_subject_id };
    }
    const leaving = this.sql.deleteLeaving.get(pseudonym);
    return { pseudonym, sealedSubjectId: (deleted ?? leaving)?.sealed_subject_id };
  }

  /**
   * The link's entries go from both caches. Its subject id comes from the other cache when
   * there, or from opening the sealed id when something is cached by subject id at all: an
   * AES-GCM open per forgotten subject was 3% of an erasure (profiled), and the saga's own
   * connection never looks a subject id up.
   */
  evictForgotten({ pseudonym, sealedSubjectId }: SubjectForgotten): void {
    const subjectId = this.subjectIdsByPseudonym.get(pseudonym);
    this.subjectIdsByPseudonym.delete(pseudonym);
    if (subjectId !== undefined) this.pseudonymsBySubjectId.delete(subjectId);
    else if (sealedSubjectId !== undefined && this.pseudonymsBySubjectId.size > 0) {
      this.evictSubjectOf(sealedSubjectId, pseudonym);
    }
  }

  /**
   * A link that exists but was not cached, read without the group commit (only a new link
   * needs its write transaction, as `SqliteDataKeys.stored` says for keys). Cached at once; a
   * forgetting queued meanwhile evicts it once committed.
   */
  private stored(subjectId: string): string | undefined {
    const row = this.sql.byIndex.get(this.blindIndex(subjectId));
    if (row === undefined) return undefined;
    this.remember(row.pseudonym, subjectId);
    return row.pseudonym;
  }

  private findOrCreate(index: Buffer, subjectId: string): string {
    const row = this.sql.byIndex.get(index);
    if (row !== undefined) return row.pseudonym;
    // Random, not derived from the id: once the row is gone nothing recomputes it.
    const pseudonym = randomUUID();
    this.sql.insert.run(
      index,
      pseudonym,
      seal(this.sealKey, Buffer.from(subjectId, 'utf8'), sealAad(pseudonym)),
    );
    return pseudonym;
  }

  private remember(pseudonym: string, subjectId: string): void {
    this.pseudonymsBySubjectId.set(subjectId, pseudonym);
    this.subjectIdsByPseudonym.set(pseudonym, subjectId);
  }

  private evictSubjectOf(sealedSubjectId: Buffer, pseudonym: string): void {
    try {
      this.pseudonymsBySubjectId.delete(this.unseal(sealedSubjectId, pseudonym));
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      // A row that does not open (damaged file) still must not leave its link cached.
      this.pseudonymsBySubjectId.clear();
    }
  }

  private unseal(sealedSubjectId: Buffer, pseudonym: string): string {
    return open(this.sealKey, sealedSubjectId, sealAad(pseudonym)).toString('utf8');
  }

  private blindIndex(subjectId: string): Buffer {
    return createHmac('sha256', this.indexKey).update(subjectId, 'utf8').digest();
  }
}

/** A link as deleted (no sealed id: there was none to delete). */
export interface SubjectForgotten {
  readonly pseudonym: string;
  readonly sealedSubjectId: Buffer | undefined;
}

/** The pseudonym binds the sealed id to its row: a sealed id moved to another row fails. */
function sealAad(pseudonym: string): Buffer {
  return Buffer.from(pseudonym, 'utf8');
}
