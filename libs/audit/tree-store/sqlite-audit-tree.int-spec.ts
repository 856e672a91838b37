import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inclusionProof, leafHash, rootAt } from '../merkle';
import { storedTree } from '../merkle/testing/stored-tree';
import { SqliteAuditTree, type LeafToAppend } from './sqlite-audit-tree';

// Past 65,536 leaves the bottom level has 256 tiles or more and is no longer cached: its
// hashes are read from the file at every proof.
const LEAVES = 70_000;
const BATCH = 5_000;

const leaf = (i: number): LeafToAppend => ({
  position: { commit: BigInt(i + 1), prepare: BigInt(i + 1) },
  eventId: `e-${i}`,
  type: 'LastActivity',
  data: Buffer.from(`stored event ${i}`),
});

describe('the audit tree file, big enough that its bottom levels are not cached', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'audit-tree-big-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('proves as the tree in memory does, read from the file, the cache and both', () => {
    const leaves = Array.from({ length: LEAVES }, (_, i) => leaf(i));
    const reference = storedTree(leaves.map(({ data }) => leafHash(data))).nodes;
    // As in the ledger: one connection writes, another, memory-mapped, serves proofs while
    // the tree grows under it.
    const writer = SqliteAuditTree.open(join(dir, 'audit-tree.db'));
    const tree = SqliteAuditTree.open(join(dir, 'audit-tree.db'), { forProofs: true });
    for (let i = 0; i < LEAVES; i += BATCH) {
      writer.append(leaves.slice(i, i + BATCH));
      const grown = tree.size();
      expect(grown).toBe(BigInt(i + BATCH));
      for (const index of [0n, BigInt(i), grown - 1n]) {
        expect(inclusionProof(tree, index, grown)).toEqual(inclusionProof(reference, index, grown));
      }
    }
    writer.close();

    const size = tree.size();
    expect(size).toBe(BigInt(LEAVES));
    const sizes = [size, size - 1n, 65_537n, 65_536n, 300n];
    // Twice: the first pass fills the cache of the upper levels, the second reads it.
    for (let pass = 0; pass < 2; pass++) {
      for (const at of sizes) {
        expect(rootAt(tree, at)).toEqual(rootAt(reference, at));
        for (const index of [0n, 1n, 255n, 256n, 40_000n % at, at / 2n, at - 1n]) {
          expect(inclusionProof(tree, index, at)).toEqual(inclusionProof(reference, index, at));
        }
      }
    }
    tree.close();
  });
});
