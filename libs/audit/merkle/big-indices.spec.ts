import { MemoryPerfectSubtrees } from './perfect-subtrees';
import { naiveInclusionProof, naiveRoot, naiveSubproof } from './testing/naive-tree';
import { sampleLeafHashes } from './testing/stored-tree';
import { Hash, nodeHash } from './tree-hashes';
import { TreeFrontier } from './tree-frontier';
import {
  consistencyProof,
  inclusionProof,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from './tree-proofs';

// Trees far past 2^53 leaves, built sparsely: the first 2^60 leaves are one synthetic
// perfect-subtree hash, and only the leaves after them are real. For n = 2^60 + r the RFC
// splits at k = 2^60, so MTH = HASH(0x01 || left || MTH(right part)), and every proof of a
// leaf on the right is the reference proof within the right part plus the left hash.

const TWO_TO_60 = 1n << 60n;
const left = sampleLeafHashes(1, 'the first 2^60 leaves')[0];
const right = sampleLeafHashes(6, 'after 2^60');

function sparseTree(rightLeaves: readonly Hash[]): {
  nodes: MemoryPerfectSubtrees;
  frontier: TreeFrontier;
} {
  const nodes = new MemoryPerfectSubtrees();
  nodes.put([{ level: 60, index: 0n, hash: left }]);
  const frontier = TreeFrontier.restore(TWO_TO_60, [left]);
  for (const hash of rightLeaves) nodes.put(frontier.append(hash));
  return { nodes, frontier };
}

describe('indices above 2^53', () => {
  const size = TWO_TO_60 + 5n;
  const { nodes, frontier } = sparseTree(right.slice(0, 5));
  const root = nodeHash(left, naiveRoot(right.slice(0, 5)));

  it('the frontier appends past 2^60 and names the subtrees with exact indices', () => {
    expect(frontier.size).toBe(size);
    expect(frontier.root()).toEqual(root);
    const again = sparseTree(right.slice(0, 3)).frontier;
    expect(again.append(right[3]).map(({ level, index }) => [level, index])).toEqual([
      [0, TWO_TO_60 + 3n],
      [1, (TWO_TO_60 + 2n) >> 1n],
      [2, TWO_TO_60 >> 2n],
    ]);
    expect(TreeFrontier.fromSubtrees(nodes, size).hashes).toEqual(frontier.hashes);
  });

  it('rootAt reads the root from the stored subtrees', () => {
    expect(rootAt(nodes, size)).toEqual(root);
    expect(rootAt(nodes, TWO_TO_60)).toEqual(left);
  });

  it.each([0, 1, 2, 3, 4])('inclusion of leaf 2^60 + %i in a tree of 2^60 + 5', (j) => {
    const index = TWO_TO_60 + BigInt(j);
    const proof = inclusionProof(nodes, index, size);
    expect(proof).toEqual([...naiveInclusionProof(j, right.slice(0, 5)), left]);
    expect(verifyInclusion(index, size, right[j], proof, root)).toBe(true);
    expect(verifyInclusion(index + 1n, size, right[j], proof, root)).toBe(false);
    expect(verifyInclusion(index - 1n, size, right[j], proof, root)).toBe(false);
    expect(verifyInclusion(index - TWO_TO_60, size, right[j], proof, root)).toBe(false);
  });

  it('consistency from 2^60 + 2 and from 2^60 to 2^60 + 5', () => {
    const proof = consistencyProof(nodes, TWO_TO_60 + 2n, size);
    expect(proof).toEqual([...naiveSubproof(2, right.slice(0, 5), false), left]);
    const fromRoot = nodeHash(left, naiveRoot(right.slice(0, 2)));
    expect(verifyConsistency(TWO_TO_60 + 2n, size, proof, fromRoot, root)).toBe(true);
    expect(verifyConsistency(TWO_TO_60 + 1n, size, proof, fromRoot, root)).toBe(false);

    const fromPowerOfTwo = consistencyProof(nodes, TWO_TO_60, size);
    expect(fromPowerOfTwo).toEqual([naiveRoot(right.slice(0, 5))]);
    expect(verifyConsistency(TWO_TO_60, size, fromPowerOfTwo, left, root)).toBe(true);
  });

  it('verifies a leaf deep in a tree of 2^64 + 3 leaves, from a path written out by hand', () => {
    // Within a perfect subtree the path is the index's bits: bit l set, the sibling at
    // level l is on the left. 64 synthetic siblings define the left 2^64 leaves' root.
    const index = (1n << 63n) + (1n << 40n) + 7n;
    const leaf = sampleLeafHashes(1, 'deep leaf')[0];
    const siblings = sampleLeafHashes(64, 'sibling');
    let leftRoot = leaf;
    siblings.forEach((sibling, l) => {
      leftRoot =
        (index >> BigInt(l)) & 1n ? nodeHash(sibling, leftRoot) : nodeHash(leftRoot, sibling);
    });
    const tail = naiveRoot(right.slice(0, 3));
    const treeSize = (1n << 64n) + 3n;
    const treeRoot = nodeHash(leftRoot, tail);
    expect(verifyInclusion(index, treeSize, leaf, [...siblings, tail], treeRoot)).toBe(true);
    expect(
      verifyInclusion(index ^ (1n << 40n), treeSize, leaf, [...siblings, tail], treeRoot),
    ).toBe(false);
    expect(verifyInclusion(index, treeSize, leaf, siblings, treeRoot)).toBe(false);
  });
});
