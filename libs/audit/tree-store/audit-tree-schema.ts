import type { SqliteDatabase } from '../../sqlite/open-database';

/**
 * The audit tree's file (`audit-tree.db`): derived from the log like every read model, so
 * it can be dropped and rebuilt, and byte-for-byte the same hashes come back.
 *
 * - `tree_nodes`: the hash of every perfect subtree completed so far (level 0: the leaf
 *   hashes). About two rows per leaf, written once, never changed: a proof reads O(log n).
 * - `tree_leaves`: which stored event each leaf is (its log position), both ways.
 * - `tree_head`: how many leaves the tree has and the last event it accounts for (the
 *   projection's checkpoint), written in the same transaction as the nodes.
 * - `lifecycle_facts`: the leaves that are the ledger's lifecycle actions (erasures,
 *   archivings, deferred erasures, renewal requests), by when the ledger wrote them: the
 *   erasure log an auditor pages through, each entry provable by its leaf, and the counts of
 *   the compliance summary.
 */
const SCHEMA_VERSION = 2;

export function migrateAuditTree(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`audit tree schema ${version} is newer than this ledger (${SCHEMA_VERSION})`);
    }
    if (version === SCHEMA_VERSION) return;
    if (version === 1) {
      // Version 2 indexes ErasureDeferred and RenewalRequested too, which a version-1 file
      // skipped: the tree is derived, so it is emptied and the projection rebuilds it from
      // the log (the same hashes come back; the facts gain the two types).
      db.exec(`
        DELETE FROM tree_nodes; DELETE FROM tree_leaves; DELETE FROM lifecycle_facts;
        UPDATE tree_head SET size = 0, commit_pos = NULL, prepare_pos = NULL WHERE id = 1;
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      return;
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS tree_nodes (
        level INTEGER NOT NULL,
        idx   INTEGER NOT NULL,
        hash  BLOB    NOT NULL,
        PRIMARY KEY (level, idx)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS tree_leaves (
        leaf_index  INTEGER PRIMARY KEY,
        commit_pos  INTEGER NOT NULL,
        prepare_pos INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS tree_leaves_by_position
        ON tree_leaves (commit_pos, prepare_pos);
      CREATE TABLE IF NOT EXISTS tree_head (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        size        INTEGER NOT NULL,
        commit_pos  INTEGER,
        prepare_pos INTEGER
      );
      INSERT OR IGNORE INTO tree_head (id, size) VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS lifecycle_facts (
        leaf_index  INTEGER PRIMARY KEY,
        event_id    TEXT NOT NULL,
        type        TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS lifecycle_facts_by_time ON lifecycle_facts (recorded_at, leaf_index);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }).immediate();
}
