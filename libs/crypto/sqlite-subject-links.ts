import { createHmac, randomUUID } from 'node:crypto';
import type { GroupCommit } from '../sqlite/group-commit';
import type { SqliteDatabase } from '../sqlite/open-database';
import { open, seal } from './aead';
import { LruCache } from './lru-cache';
import { truncateWal } from './wal-truncate';

/**
 * The subject half of the SQLite vault: platform id <-> pseudonym. A row is found by the
 * blind index HMAC(subject-index key, subject id) and holds the subject id only sealed, so
 * the file alone (without the master key) links no pseudonym to a person. The caches are
 * keyed by the blind index too, so forgetting can evict without knowing the clear id.
 */
export class SqliteSubjectLinks {
  private readonly pseudonymsByIndex: LruCache<string, string>;
  private readonly subjectIdsByPseudonym: LruCache<string, string>;
  private readonly sql;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly commit: GroupCommit,
    private readonly indexKey: Buffer,
    private readonly sealKey: Buffer,
    cacheEntries: number,
  ) {
    this.pseudonymsByIndex = new LruCache(cacheEntries);
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
      delete: db.prepare<[string], { blind_index: Buffer }>(
        'DELETE FROM subjects WHERE pseudonym = ? RETURNING blind_index',
      ),
    };
  }

  async pseudonymOf(subjectId: string, options: { create: boolean }): Promise<string | undefined> {
    if (options.create) return (await this.pseudonymsOf([subjectId]))[0];
    const index = this.blindIndex(subjectId);
    const cached = this.pseudonymsByIndex.get(index.toString('hex'));
    if (cached !== undefined) return cached;
    const row = this.sql.byIndex.get(index);
    if (row === undefined) return undefined;
    this.remember(index, row.pseudonym, subjectId);
    return row.pseudonym;
  }

  async pseudonymsOf(subjectIds: readonly string[]): Promise<string[]> {
    const indexes = subjectIds.map((id) => this.blindIndex(id));
    const pseudonyms = indexes.map((index) => this.pseudonymsByIndex.get(index.toString('hex')));
    const missing = pseudonyms.flatMap((p, i) => (p === undefined ? [i] : []));
    if (missing.length === 0) return pseudonyms as string[];
    // Pieces of one transaction run one after the other: 50 concurrent callers for one
    // missing id all find the row the first one inserted. One piece for all the misses.
    const found = await this.commit.run(() =>
      missing.map((i) => this.findOrCreate(indexes[i], subjectIds[i])),
    );
    missing.forEach((i, j) => {
      pseudonyms[i] = found[j];
      this.remember(indexes[i], found[j], subjectIds[i]);
    });
    return pseudonyms as string[];
  }

  async subjectIdOf(pseudonym: string): Promise<string | undefined> {
    const cached = this.subjectIdsByPseudonym.get(pseudonym);
    if (cached !== undefined) return cached;
    const row = this.sql.byPseudonym.get(pseudonym);
    if (row === undefined) return undefined;
    const subjectId = open(this.sealKey, row.sealed_subject_id, sealAad(pseudonym)).toString(
      'utf8',
    );
    this.subjectIdsByPseudonym.set(pseudonym, subjectId);
    return subjectId;
  }

  async forgetSubject(pseudonym: string): Promise<void> {
    const deleted = await this.commit.run(() => this.sql.delete.get(pseudonym));
    this.subjectIdsByPseudonym.delete(pseudonym);
    if (deleted !== undefined) this.pseudonymsByIndex.delete(deleted.blind_index.toString('hex'));
    // The sealed id is only readable with the master key, but no old copy should remain.
    truncateWal(this.db);
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

  private remember(index: Buffer, pseudonym: string, subjectId: string): void {
    this.pseudonymsByIndex.set(index.toString('hex'), pseudonym);
    this.subjectIdsByPseudonym.set(pseudonym, subjectId);
  }

  private blindIndex(subjectId: string): Buffer {
    return createHmac('sha256', this.indexKey).update(subjectId, 'utf8').digest();
  }
}

/** The pseudonym binds the sealed id to its row: a sealed id moved to another row fails. */
function sealAad(pseudonym: string): Buffer {
  return Buffer.from(pseudonym, 'utf8');
}
