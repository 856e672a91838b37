import type { SqliteDatabase } from '../../sqlite/open-database';

/**
 * The audit tree's file (`audit-tree.db`): derived from the log like every read model, so
 * it can be dropped and rebuilt, and byte-for-byte the same hashes come back.
 *
 * - `tree_tiles`: the hash of every perfect subtree completed so far (level 0: the leaf
 *   hashes), 256 consecutive ones of a level per row (`tiles.ts`); written once each, the
 *   last tile of a level growing until full. A proof reads O(log n) of them.
 * - `leaf_positions`: which stored event each leaf is (its log position, 16 bytes), in
 *   tiles too; indexed by each tile's first position to find a leaf from an event.
 * - `tree_head`: how many leaves the tree has and the last event it accounts for (the
 *   projection's checkpoint), written in the same transaction as the tiles.
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
    // Version 1 (a row per node; erasures and archivings only in lifecycle_facts) lived for
    // one day of development: a projection, so it is dropped and rebuilt from the log.
    db.exec(`
      DROP TABLE IF EXISTS tree_nodes;
      DROP TABLE IF EXISTS tree_leaves;
      DROP TABLE IF EXISTS tree_head;
      DROP TABLE IF EXISTS lifecycle_facts;
      DROP TABLE IF EXISTS tree_tiles;
      DROP TABLE IF EXISTS leaf_positions;
      CREATE TABLE tree_tiles (
        level  INTEGER NOT NULL,
        tile   INTEGER NOT NULL,
        hashes BLOB    NOT NULL,
        PRIMARY KEY (level, tile)
      ) WITHOUT ROWID;
      CREATE TABLE leaf_positions (
        tile          INTEGER PRIMARY KEY,
        first_commit  INTEGER NOT NULL,
        first_prepare INTEGER NOT NULL,
        positions     BLOB    NOT NULL
      );
      CREATE UNIQUE INDEX leaf_positions_by_first ON leaf_positions (first_commit, first_prepare);
      CREATE TABLE tree_head (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        size        INTEGER NOT NULL,
        commit_pos  INTEGER,
        prepare_pos INTEGER
      );
      INSERT INTO tree_head (id, size) VALUES (1, 0);
      CREATE TABLE lifecycle_facts (
        leaf_index  INTEGER PRIMARY KEY,
        event_id    TEXT NOT NULL,
        type        TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX lifecycle_facts_by_time ON lifecycle_facts (recorded_at, leaf_index);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }).immediate();
}
