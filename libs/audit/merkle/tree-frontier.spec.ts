import fc from 'fast-check';
import { MemoryPerfectSubtrees } from './perfect-subtrees';
import { ProofError } from './proof-error';
import { naiveRoot } from './testing/naive-tree';
import { sampleLeafHashes } from './testing/stored-tree';
import { EMPTY_TREE_ROOT } from './tree-hashes';
import { TreeFrontier } from './tree-frontier';

const leafHashes = sampleLeafHashes(300);

describe('TreeFrontier', () => {
  it('is empty at first, with the root of the empty tree', () => {
    const frontier = TreeFrontier.empty();
    expect(frontier.size).toBe(0n);
    expect(frontier.hashes).toEqual([]);
    expect(frontier.root()).toEqual(EMPTY_TREE_ROOT);
  });

  it('has the reference root (RFC 9162 MTH) after every append up to 300 leaves', () => {
    const frontier = TreeFrontier.empty();
    leafHashes.forEach((hash, i) => {
      frontier.append(hash);
      expect(frontier.size).toBe(BigInt(i + 1));
      expect(frontier.root()).toEqual(naiveRoot(leafHashes.slice(0, i + 1)));
    });
  });

  it('returns every perfect subtree a leaf completes, leaf first, each with its MTH', () => {
    const frontier = TreeFrontier.empty();
    const completedBy = leafHashes.slice(0, 64).map((hash) => frontier.append(hash));
    // Leaf 11 (binary 1011) completes the subtrees of levels 0, 1 and 2 ending at leaf 11.
    expect(completedBy[11].map(({ level, index }) => [level, index])).toEqual([
      [0, 11n],
      [1, 5n],
      [2, 2n],
    ]);
    for (const completed of completedBy) {
      for (const { level, index, hash } of completed) {
        const first = Number(index) * 2 ** level;
        expect(hash).toEqual(naiveRoot(leafHashes.slice(first, first + 2 ** level)));
      }
    }
    // Over n leaves, 2n - popcount(n) perfect subtrees are completed: 64 leaves, 127.
    expect(completedBy.flat()).toHaveLength(127);
  });

  it('restores from its size and hashes, and goes on as if never stopped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (stopAt, more) => {
          const frontier = TreeFrontier.empty();
          leafHashes.slice(0, stopAt).forEach((hash) => frontier.append(hash));
          const restored = TreeFrontier.restore(frontier.size, frontier.hashes);
          expect(restored.size).toBe(frontier.size);
          expect(restored.root()).toEqual(frontier.root());
          for (const hash of leafHashes.slice(stopAt, stopAt + more)) {
            expect(restored.append(hash)).toEqual(frontier.append(hash));
          }
          expect(restored.root()).toEqual(naiveRoot(leafHashes.slice(0, stopAt + more)));
        },
      ),
    );
  });

  it('is read back from the stored perfect subtrees of any smaller size', () => {
    const nodes = new MemoryPerfectSubtrees();
    const frontier = TreeFrontier.empty();
    const frontiers = [frontier.hashes];
    for (const hash of leafHashes) {
      nodes.put(frontier.append(hash));
      frontiers.push(frontier.hashes);
    }
    frontiers.forEach((hashes, size) =>
      expect(TreeFrontier.fromSubtrees(nodes, BigInt(size)).hashes).toEqual(hashes),
    );
  });

  it('folds chunks of aligned leaves, each given as its perfect subtrees, to the same tree', () => {
    // The verifier's worker threads hash chunks of 2^k leaves; the last chunk may be short.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 6 }),
        (size, chunkLevel) => {
          const chunk = 2 ** chunkLevel;
          const folded = TreeFrontier.empty();
          for (let start = 0; start < size; start += chunk) {
            const inChunk = TreeFrontier.empty();
            leafHashes.slice(start, Math.min(size, start + chunk)).forEach((hash) => {
              inChunk.appendSubtree(0, hash);
            });
            const levels = [...inChunk.size.toString(2)]
              .map((bit, i, bits) => (bit === '1' ? bits.length - 1 - i : -1))
              .filter((level) => level >= 0);
            inChunk.hashes.forEach((hash, i) => folded.appendSubtree(levels[i], hash));
          }
          const oneByOne = TreeFrontier.empty();
          leafHashes.slice(0, size).forEach((hash) => oneByOne.append(hash));
          expect(folded.size).toBe(BigInt(size));
          expect(folded.hashes).toEqual(oneByOne.hashes);
          expect(folded.root()).toEqual(naiveRoot(leafHashes.slice(0, size)));
        },
      ),
    );
  });

  it('refuses a subtree that does not start on a multiple of its size', () => {
    const frontier = TreeFrontier.empty();
    frontier.append(leafHashes[0]);
    expect(() => frontier.appendSubtree(1, leafHashes[1])).toThrow(
      new ProofError('a subtree of 2 leaves cannot start at leaf 1'),
    );
    expect(() => frontier.appendSubtree(0, Buffer.alloc(31))).toThrow(RangeError);
  });

  it('hands out a copy of its hashes', () => {
    const frontier = TreeFrontier.empty();
    frontier.append(leafHashes[0]);
    (frontier.hashes as unknown[]).pop();
    expect(frontier.hashes).toHaveLength(1);
  });

  it('refuses to restore hashes that do not fit the size', () => {
    const [a, b] = leafHashes;
    expect(() => TreeFrontier.restore(3n, [a])).toThrow(
      new ProofError('a tree of size 3 has 2 perfect subtrees in its frontier, got 1 hashes'),
    );
    expect(() => TreeFrontier.restore(-1n, [])).toThrow(new ProofError('tree size -1 is negative'));
    expect(() => TreeFrontier.restore(2n, [b.subarray(1)])).toThrow(
      new ProofError('frontier hash 0 has 31 bytes, not 32'),
    );
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => TreeFrontier.empty().append(Buffer.alloc(31))).toThrow(RangeError);
  });

  it('names the missing subtree when the store holds a smaller tree', () => {
    const nodes = new MemoryPerfectSubtrees();
    const frontier = TreeFrontier.empty();
    leafHashes.slice(0, 5).forEach((hash) => nodes.put(frontier.append(hash)));
    expect(() => TreeFrontier.fromSubtrees(nodes, 6n)).toThrow(
      new ProofError('no stored hash for the perfect subtree at level 1, index 2 (leaves 4 to 5)'),
    );
  });
});
