import { decodeLedgerEvent } from '../../domain/events/ledger-event';
import {
  comparePositions,
  formatPosition,
  type LogPosition,
  type RecordedEvent,
} from '../../event-store';
import { LruCache } from '../../crypto/lru-cache';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import {
  HASH_SIZE,
  leafHash,
  MissingSubtreeError,
  TreeFrontier,
  type Hash,
  type PerfectSubtrees,
} from '../merkle';
import { decodePosition, encodePosition, tilePlace, tileRuns, TILE_WIDTH } from './tiles';
import { migrateAuditTree } from './audit-tree-schema';

/**
 * One stored event as the tree takes it: where it is in the log, what it is, and its
 * stored bytes (`data`, ciphertext included), which are the leaf, exactly.
 */
export type LeafToAppend = Pick<RecordedEvent, 'position' | 'eventId' | 'type' | 'data'>;

/** The facts the erasure log lists (`GET /v1/compliance/erasures`). */
export const LIFECYCLE_FACT_TYPES: ReadonlySet<string> = new Set([
  'RecordErased',
  'RecordArchived',
]);

/**
 * Every lifecycle action the tree indexes by time: the erasure log's facts, and those the
 * compliance summary counts besides (the log has no index by time of its own).
 */
export const INDEXED_FACT_TYPES: ReadonlySet<string> = new Set([
  ...LIFECYCLE_FACT_TYPES,
  'ErasureDeferred',
  'RenewalRequested',
]);

/** One erasure or archiving, as the tree indexes it. */
export interface LifecycleFactRow {
  readonly leafIndex: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
}

export interface LifecycleFactsQuery {
  /** Inclusive lower bound on `recordedAt` (ISO-8601 UTC). */
  readonly from?: string;
  /** Exclusive upper bound. */
  readonly to?: string;
  /** Resume strictly after this entry, in (recordedAt, leafIndex) order (paging). */
  readonly after?: Pick<LifecycleFactRow, 'recordedAt' | 'leafIndex'>;
  readonly limit: number;
}

export interface TreeHead {
  readonly size: bigint;
  /** The last event the tree accounts for; absent while it is empty. */
  readonly position?: LogPosition;
}

interface HeadRow {
  size: bigint;
  commit_pos: bigint | null;
  prepare_pos: bigint | null;
}

/**
 * The RFC 9162 tree of the log, kept incrementally in SQLite: each leaf adds its hash and
 * the perfect subtrees it completes (amortised two hashes, at most log n), never a
 * recomputation, stored in tiles of 256 hashes. One process writes it (the projection), any
 * number read it (proofs).
 */
export class SqliteAuditTree implements PerfectSubtrees {
  private readonly statements: ReturnType<typeof prepare>;
  /** The writer's compact range, loaded on its first append (readers never need it). */
  private frontier?: TreeFrontier;
  /**
   * Tiles read, full or not, of the levels worth caching (see `cached`): a hash once written
   * never changes (tiles only grow), so a cached tile is right for every index it holds, and
   * read again only for one beyond it.
   */
  private readonly tiles = new LruCache<string, Buffer>(TILES_CACHED);
  /** The size last seen: a smaller one means the tree was rebuilt, and the cache goes. */
  private lastSize = 0n;

  /**
   * `forProofs`: this connection serves proofs and does not write the tree (the API's, while
   * the worker thread writes). Proofs read some twenty 8 KB tiles at random places of the
   * file: through a memory map each read is a copy, not a syscall and a page-cache copy,
   * which took 10,000 proofs at 1,000,000 leaves from p50 0.44 / p99 1.0-1.16 ms to
   * 0.25-0.3 / 0.65-0.82 (three runs each, quiet machine). Not on the writer's connection:
   * mapped there, memory-rss measured 399 MB and 1,984 events/s against 311 MB and 4,178
   * without (the pages it touches count in RSS), and publishing ran at half the rate.
   */
  static open(file: string, options: { forProofs?: boolean } = {}): SqliteAuditTree {
    const db = openDatabase(file, options.forProofs ? { mmapMb: TREE_FILE_MAP_MB } : {});
    // Derived data: a power cut may lose the last commits, never consistency (WAL), and the
    // head goes back with them, so the same leaves are appended again from the log.
    db.pragma('synchronous = NORMAL');
    return new SqliteAuditTree(db);
  }

  constructor(private readonly db: SqliteDatabase) {
    migrateAuditTree(db);
    this.statements = prepare(db);
  }

  head(): TreeHead {
    const row = this.statements.head.get() as HeadRow;
    if (row.size < this.lastSize) this.tiles.clear();
    this.lastSize = row.size;
    if (row.commit_pos === null || row.prepare_pos === null) return { size: row.size };
    return { size: row.size, position: { commit: row.commit_pos, prepare: row.prepare_pos } };
  }

  size(): bigint {
    return this.head().size;
  }

  hashAt(level: number, index: bigint): Hash {
    const { tile, offset } = tilePlace(index);
    const end = (offset + 1) * HASH_SIZE;
    const key = `${level}/${tile}`;
    const cached = this.cached(level);
    let hashes = cached ? this.tiles.get(key) : undefined;
    if (!hashes || hashes.length < end) {
      hashes = this.statements.hashTile.get(level, tile) as Buffer | undefined;
      if (hashes && cached) this.tiles.set(key, hashes);
    }
    if (!hashes || hashes.length < end) throw new MissingSubtreeError(level, index);
    return hashes.subarray(offset * HASH_SIZE, end);
  }

  /** The leaf index of the event stored at `position`; undefined when the tree has not got it. */
  leafIndexAt(position: LogPosition): bigint | undefined {
    const row = this.statements.positionsAtOrBefore.get(position.commit, position.prepare) as
      { tile: bigint; positions: Buffer } | undefined;
    if (!row) return undefined;
    // Positions only grow along the leaves: a binary search in the tile.
    let low = 0;
    let high = row.positions.length / POSITION_SIZE - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const at = decodePosition(row.positions, middle);
      const order = comparePositions(at, position);
      if (order === 0) return row.tile * BigInt(TILE_WIDTH) + BigInt(middle);
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Where the event of leaf `index` is in the log; undefined beyond the tree. */
  positionOfLeaf(index: bigint): LogPosition | undefined {
    const { tile, offset } = tilePlace(index);
    const positions = this.statements.positionTile.get(tile) as Buffer | undefined;
    if (!positions || positions.length < (offset + 1) * POSITION_SIZE) return undefined;
    return decodePosition(positions, offset);
  }

  /**
   * Appends leaves in log order, with the head, in one transaction: after a crash the tree
   * is at a head it had, and the events after it come again. Returns the new size.
   */
  append(leaves: readonly LeafToAppend[]): bigint {
    if (leaves.length === 0) return this.size();
    const s = this.statements;
    const write = this.db.transaction(() => {
      const { size: start, position: last } = this.head();
      const frontier = this.loadFrontier(start);
      const byLevel: Hash[][] = [];
      const firstByLevel: bigint[] = [];
      let previous = last;
      leaves.forEach(({ position, data: leaf, eventId, type }, i) => {
        // A leaf is an event of the log, once, in the log's order: anything else is a bug
        // upstream, and the transaction rolls back.
        if (previous && comparePositions(position, previous) <= 0) {
          throw new Error(
            `leaf ${start + BigInt(i)}: log position ${formatPosition(position)} does not follow ${formatPosition(previous)}`,
          );
        }
        previous = position;
        for (const { level, index, hash } of frontier.append(leafHash(leaf))) {
          (byLevel[level] ??= []).push(hash);
          firstByLevel[level] ??= index;
        }
        if (INDEXED_FACT_TYPES.has(type)) {
          s.insertFact.run(start + BigInt(i), eventId, type, decodeLedgerEvent(leaf).recordedAt);
        }
      });
      byLevel.forEach((hashes, level) => this.writeHashes(level, firstByLevel[level]!, hashes));
      this.writePositions(
        start,
        leaves.map(({ position }) => encodePosition(position.commit, position.prepare)),
      );
      s.updateHead.run(frontier.size, previous!.commit, previous!.prepare);
      return frontier.size;
    });
    try {
      return write.immediate();
    } catch (error) {
      // The transaction rolled back: the in-memory range and tiles may hold what is not stored.
      this.frontier = undefined;
      this.tiles.clear();
      throw error;
    }
  }

  /** Erasures and archivings the tree holds, oldest first (by when they were written). */
  lifecycleFacts(query: LifecycleFactsQuery): LifecycleFactRow[] {
    const rows = this.statements.facts.all({
      from: query.from ?? '',
      to: query.to ?? '\uffff',
      afterTime: query.after?.recordedAt ?? '',
      afterLeaf: query.after?.leafIndex ?? -1n,
      limit: query.limit,
    }) as { leaf_index: bigint; event_id: string; type: string; recorded_at: string }[];
    return rows.map((row) => ({
      leafIndex: row.leaf_index,
      eventId: row.event_id,
      type: row.type,
      recordedAt: row.recorded_at,
    }));
  }

  /** How many lifecycle actions of each indexed type were written in [from, to). */
  countFacts(from: string, to: string): Record<string, number> {
    const rows = this.statements.countFacts.all(from, to) as { type: string; n: bigint }[];
    return Object.fromEntries(rows.map((row) => [row.type, Number(row.n)]));
  }

  /** Drops every leaf (a rebuild from the log follows). */
  clear(): void {
    const s = this.statements;
    this.db.transaction(() => {
      s.clearTiles.run();
      s.clearPositions.run();
      s.clearFacts.run();
      s.resetHead.run();
    })();
    this.frontier = undefined;
    this.tiles.clear();
  }

  close(): void {
    this.db.close();
  }

  /**
   * Whether the tiles of a level are kept: only where the level has few tiles at the size
   * last seen, those a proof of a random leaf is likely to find again (the upper levels and
   * the right border). The bottom levels' tiles are thousands, each read once in a while:
   * cached, they churned the cache, lived long enough to be promoted to V8's old space and
   * died there, and the mark-compacts that collected them (10-37 ms each, nine to twelve in 10,000
   * proofs at 1,000,000 leaves) were the proofs' p99. Read and dropped, they die young.
   */
  private cached(level: number): boolean {
    return this.lastSize >> BigInt(level) < CACHED_LEVEL_MAX_HASHES;
  }

  private loadFrontier(size: bigint): TreeFrontier {
    // Another connection may have written (a rebuild): the range must match the stored head.
    if (this.frontier?.size !== size) this.frontier = TreeFrontier.fromSubtrees(this, size);
    return this.frontier;
  }

  /**
   * Consecutive hashes of one level from index `first` on, each tile extended in place (read
   * from the file, not the cache: the file is the truth the extension must follow).
   */
  private writeHashes(level: number, first: bigint, hashes: readonly Hash[]): void {
    for (const { tile, offset, items } of tileRuns(first, hashes)) {
      const before =
        offset === 0 ? EMPTY : (this.statements.hashTile.get(level, tile) as Buffer | undefined);
      if (before?.length !== offset * HASH_SIZE) {
        throw new Error(`the audit tree's tile ${level}/${tile} does not end at ${offset}`);
      }
      const after = Buffer.concat([before, ...items]);
      this.statements.putHashTile.run(level, tile, after);
      if (this.cached(level)) this.tiles.set(`${level}/${tile}`, after);
    }
  }

  private writePositions(first: bigint, positions: readonly Buffer[]): void {
    const s = this.statements;
    for (const { tile, offset, items } of tileRuns(first, positions)) {
      const before = offset === 0 ? EMPTY : (s.positionTile.get(tile) as Buffer | undefined);
      if (before?.length !== offset * POSITION_SIZE) {
        throw new Error(`the audit tree's position tile ${tile} does not end at ${offset}`);
      }
      const all = Buffer.concat([before, ...items]);
      const firstPosition = decodePosition(all, 0);
      s.putPositionTile.run(tile, firstPosition.commit, firstPosition.prepare, all);
    }
  }
}

const EMPTY = Buffer.alloc(0);
const POSITION_SIZE = 16;
/** The tree of 10,000,000 leaves is about 900 MB. */
const TREE_FILE_MAP_MB = 1024;
/** A level's tiles are cached when it has fewer than this many (see `cached`). */
const TILES_PER_CACHED_LEVEL = 256;
const CACHED_LEVEL_MAX_HASHES = BigInt(TILES_PER_CACHED_LEVEL * TILE_WIDTH);
/**
 * Up to 600 tiles of up to 8 KB (under 5 MB): the cached levels hold fewer than 256 + 128
 * + ... < 512 tiles together, and the levels above them one each.
 */
const TILES_CACHED = 600;

function prepare(db: SqliteDatabase) {
  const integers = <T extends { safeIntegers(on?: boolean): T }>(statement: T) =>
    statement.safeIntegers(true);
  return {
    head: integers(db.prepare('SELECT size, commit_pos, prepare_pos FROM tree_head WHERE id = 1')),
    hashTile: db.prepare('SELECT hashes FROM tree_tiles WHERE level = ? AND tile = ?').pluck(),
    putHashTile: db.prepare(
      'INSERT OR REPLACE INTO tree_tiles (level, tile, hashes) VALUES (?, ?, ?)',
    ),
    positionTile: db.prepare('SELECT positions FROM leaf_positions WHERE tile = ?').pluck(),
    // The tile whose first leaf is the last one at or before the position (the unique index).
    positionsAtOrBefore: integers(
      db.prepare(`
        SELECT tile, positions FROM leaf_positions
        WHERE (first_commit, first_prepare) <= (?, ?)
        ORDER BY first_commit DESC, first_prepare DESC
        LIMIT 1`),
    ),
    putPositionTile: db.prepare(`
      INSERT OR REPLACE INTO leaf_positions (tile, first_commit, first_prepare, positions)
      VALUES (?, ?, ?, ?)`),
    updateHead: db.prepare(
      'UPDATE tree_head SET size = ?, commit_pos = ?, prepare_pos = ? WHERE id = 1',
    ),
    insertFact: db.prepare(
      'INSERT INTO lifecycle_facts (leaf_index, event_id, type, recorded_at) VALUES (?, ?, ?, ?)',
    ),
    facts: integers(
      db.prepare(`
        SELECT leaf_index, event_id, type, recorded_at FROM lifecycle_facts
        WHERE recorded_at >= :from AND recorded_at < :to
          AND (recorded_at, leaf_index) > (:afterTime, :afterLeaf)
          AND type IN ('RecordErased', 'RecordArchived')
        ORDER BY recorded_at, leaf_index
        LIMIT :limit`),
    ),
    countFacts: integers(
      db.prepare(
        `SELECT type, count(*) AS n FROM lifecycle_facts
         WHERE recorded_at >= ? AND recorded_at < ? GROUP BY type`,
      ),
    ),
    clearFacts: db.prepare('DELETE FROM lifecycle_facts'),
    clearTiles: db.prepare('DELETE FROM tree_tiles'),
    clearPositions: db.prepare('DELETE FROM leaf_positions'),
    resetHead: db.prepare(
      'UPDATE tree_head SET size = 0, commit_pos = NULL, prepare_pos = NULL WHERE id = 1',
    ),
  };
}
