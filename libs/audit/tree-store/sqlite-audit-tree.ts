import { decodeLedgerEvent } from '../../domain/events/ledger-event';
import type { LogPosition, RecordedEvent } from '../../event-store';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import {
  leafHash,
  MissingSubtreeError,
  TreeFrontier,
  type CompletedSubtree,
  type Hash,
  type PerfectSubtrees,
} from '../merkle';
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
 * the perfect subtrees it completes (amortised two rows, at most log n), never a
 * recomputation. One process writes it (the projection), any number read it (proofs).
 */
export class SqliteAuditTree implements PerfectSubtrees {
  private readonly statements: ReturnType<typeof prepare>;
  /** The writer's compact range, loaded on its first append (readers never need it). */
  private frontier?: TreeFrontier;

  static open(file: string): SqliteAuditTree {
    const db = openDatabase(file);
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
    if (row.commit_pos === null || row.prepare_pos === null) return { size: row.size };
    return { size: row.size, position: { commit: row.commit_pos, prepare: row.prepare_pos } };
  }

  size(): bigint {
    return this.head().size;
  }

  hashAt(level: number, index: bigint): Hash {
    const hash = this.statements.node.get(level, index) as Buffer | undefined;
    if (!hash) throw new MissingSubtreeError(level, index);
    return hash;
  }

  /** The leaf index of the event stored at `position`; undefined when the tree has not got it. */
  leafIndexAt(position: LogPosition): bigint | undefined {
    return this.statements.leafAt.get(position.commit, position.prepare) as bigint | undefined;
  }

  /** Where the event of leaf `index` is in the log; undefined beyond the tree. */
  positionOfLeaf(index: bigint): LogPosition | undefined {
    const row = this.statements.positionOf.get(index) as
      { commit_pos: bigint; prepare_pos: bigint } | undefined;
    return row && { commit: row.commit_pos, prepare: row.prepare_pos };
  }

  /**
   * Appends leaves in log order, with the head, in one transaction: after a crash the tree
   * is at a head it had, and the events after it come again. Returns the new size.
   */
  append(leaves: readonly LeafToAppend[]): bigint {
    if (leaves.length === 0) return this.size();
    const s = this.statements;
    const write = this.db.transaction(() => {
      const frontier = this.loadFrontier();
      const start = frontier.size;
      const nodes: CompletedSubtree[] = [];
      leaves.forEach(({ position, data: leaf, eventId, type }, i) => {
        const index = start + BigInt(i);
        s.insertLeaf.run(index, position.commit, position.prepare);
        for (const node of frontier.append(leafHash(leaf))) nodes.push(node);
        if (INDEXED_FACT_TYPES.has(type)) {
          s.insertFact.run(index, eventId, type, decodeLedgerEvent(leaf).recordedAt);
        }
      });
      for (const { level, index, hash } of nodes) s.insertNode.run(level, index, hash);
      const last = leaves.at(-1)!.position;
      s.updateHead.run(frontier.size, last.commit, last.prepare);
      return frontier.size;
    });
    try {
      return write.immediate();
    } catch (error) {
      // The transaction rolled back: the in-memory range may hold leaves that are not stored.
      this.frontier = undefined;
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
      s.clearNodes.run();
      s.clearLeaves.run();
      s.clearFacts.run();
      s.resetHead.run();
    })();
    this.frontier = undefined;
  }

  close(): void {
    this.db.close();
  }

  private loadFrontier(): TreeFrontier {
    const size = this.size();
    // Another connection may have written (a rebuild): the range must match the stored head.
    if (this.frontier?.size !== size) this.frontier = TreeFrontier.fromSubtrees(this, size);
    return this.frontier;
  }
}

function prepare(db: SqliteDatabase) {
  const integers = <T extends { safeIntegers(on?: boolean): T }>(statement: T) =>
    statement.safeIntegers(true);
  return {
    head: integers(db.prepare('SELECT size, commit_pos, prepare_pos FROM tree_head WHERE id = 1')),
    node: db.prepare('SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?').pluck(),
    leafAt: integers(
      db
        .prepare('SELECT leaf_index FROM tree_leaves WHERE commit_pos = ? AND prepare_pos = ?')
        .pluck(),
    ),
    positionOf: integers(
      db.prepare('SELECT commit_pos, prepare_pos FROM tree_leaves WHERE leaf_index = ?'),
    ),
    insertLeaf: db.prepare(
      'INSERT INTO tree_leaves (leaf_index, commit_pos, prepare_pos) VALUES (?, ?, ?)',
    ),
    insertNode: db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)'),
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
    clearNodes: db.prepare('DELETE FROM tree_nodes'),
    clearLeaves: db.prepare('DELETE FROM tree_leaves'),
    resetHead: db.prepare(
      'UPDATE tree_head SET size = 0, commit_pos = NULL, prepare_pos = NULL WHERE id = 1',
    ),
  };
}
