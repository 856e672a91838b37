import fc from 'fast-check';
import { MissingSubtreeError, ProofError } from './proof-error';
import {
  naiveConsistencyProof,
  naiveInclusionProof,
  naivePathTurns,
  naiveRoot,
} from './testing/naive-tree';
import { sampleLeafHashes, storedTree } from './testing/stored-tree';
import { EMPTY_TREE_ROOT, Hash } from './tree-hashes';
import {
  consistencyProof,
  inclusionProof,
  inclusionProofLength,
  rootAt,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './tree-proofs';

const MAX_SIZE = 300;
const leafHashes = sampleLeafHashes(MAX_SIZE + 1);
const roots = Array.from({ length: MAX_SIZE + 1 }, (_, size) =>
  naiveRoot(leafHashes.slice(0, size)),
);

/** A tree of exactly `size` leaves: generation must never read past it. */
const treeOf = (size: number) => storedTree(leafHashes.slice(0, size)).nodes;

const leafInTree = fc
  .integer({ min: 1, max: MAX_SIZE })
  .chain((size) =>
    fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }),
  );

const twoSizes = fc
  .integer({ min: 2, max: MAX_SIZE })
  .chain((to) => fc.record({ from: fc.integer({ min: 1, max: to - 1 }), to: fc.constant(to) }));

/** Every proof with one bit flipped somewhere. */
function withOneBitFlipped(proof: Hash[], hashAt: number, byteAt: number, bit: number): Hash[] {
  const copy = proof.map((hash) => Buffer.from(hash));
  copy[hashAt % copy.length][byteAt % 32] ^= 1 << bit;
  return copy;
}

describe('rootAt', () => {
  it('is the reference MTH for every size up to 300, from a store of exactly that size', () => {
    const { nodes } = storedTree([]);
    expect(rootAt(nodes, 0n)).toEqual(EMPTY_TREE_ROOT);
    leafHashes.slice(0, MAX_SIZE).forEach((hash, i) => {
      nodes.put([{ level: 0, index: BigInt(i), hash }]);
      // Only leaves so far: the store then lacks every node above them.
      if (i === 1) expect(() => rootAt(nodes, 2n)).toThrow(MissingSubtreeError);
    });
    const complete = storedTree(leafHashes.slice(0, MAX_SIZE)).nodes;
    roots
      .slice(0, MAX_SIZE + 1)
      .forEach((root, size) => expect(rootAt(complete, BigInt(size))).toEqual(root));
  });
});

describe('inclusionProof', () => {
  it('is PATH(m, D[n]) of the reference, verifies, and leads to the root', () => {
    fc.assert(
      fc.property(leafInTree, ({ size, index }) => {
        const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
        expect(proof).toEqual(naiveInclusionProof(index, leafHashes.slice(0, size)));
        expect(proof).toHaveLength(inclusionProofLength(BigInt(index), BigInt(size)));
        expect(
          rootFromInclusionProof(BigInt(index), BigInt(size), leafHashes[index], proof),
        ).toEqual(roots[size]);
        expect(
          verifyInclusion(BigInt(index), BigInt(size), leafHashes[index], proof, roots[size]),
        ).toBe(true);
      }),
    );
  });

  it('for every leaf of every tree up to 32 leaves', () => {
    for (let size = 1; size <= 32; size++) {
      const nodes = treeOf(size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(nodes, BigInt(index), BigInt(size));
        expect(proof).toEqual(naiveInclusionProof(index, leafHashes.slice(0, size)));
        expect(
          verifyInclusion(BigInt(index), BigInt(size), leafHashes[index], proof, roots[size]),
        ).toBe(true);
      }
    }
  });

  it('names the values it refuses', () => {
    const nodes = treeOf(8);
    expect(() => inclusionProof(nodes, 9n, 8n)).toThrow(
      new ProofError('leaf index 9 is not below tree size 8'),
    );
    expect(() => inclusionProof(nodes, 8n, 8n)).toThrow(
      new ProofError('leaf index 8 is not below tree size 8'),
    );
    expect(() => inclusionProof(nodes, 0n, 0n)).toThrow(
      new ProofError('leaf index 0 is not below tree size 0'),
    );
    expect(() => inclusionProof(nodes, -1n, 8n)).toThrow(
      new ProofError('leaf index -1 is negative'),
    );
    expect(() => inclusionProof(nodes, 0n, -8n)).toThrow(
      new ProofError('tree size -8 is negative'),
    );
    expect(() => inclusionProof(nodes, 0n, 9n)).toThrow(
      new ProofError('no stored hash for the perfect subtree at level 0, index 8 (leaves 8 to 8)'),
    );
  });
});

describe('verifyInclusion', () => {
  it('fails when any bit of the proof, the leaf hash or the root is flipped', () => {
    fc.assert(
      fc.property(
        leafInTree.filter(({ size }) => size > 1),
        fc.nat(),
        fc.nat(),
        fc.nat(7),
        (leaf, at, byte, bit) => {
          const { size, index } = leaf;
          const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
          const [i, n] = [BigInt(index), BigInt(size)];
          const [flippedLeaf] = withOneBitFlipped([leafHashes[index]], 0, byte, bit);
          const [flippedRoot] = withOneBitFlipped([roots[size]], 0, byte, bit);
          expect(
            verifyInclusion(
              i,
              n,
              leafHashes[index],
              withOneBitFlipped(proof, at, byte, bit),
              roots[size],
            ),
          ).toBe(false);
          expect(verifyInclusion(i, n, flippedLeaf, proof, roots[size])).toBe(false);
          expect(verifyInclusion(i, n, leafHashes[index], proof, flippedRoot)).toBe(false);
        },
      ),
    );
  });

  it('fails when a hash is added, removed or replaced', () => {
    fc.assert(
      fc.property(leafInTree, fc.nat(), ({ size, index }, at) => {
        const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
        const check = (changed: Hash[]) =>
          verifyInclusion(BigInt(index), BigInt(size), leafHashes[index], changed, roots[size]);
        const where = at % (proof.length + 1);
        expect(check([...proof.slice(0, where), roots[size], ...proof.slice(where)])).toBe(false);
        expect(check([...proof.slice(0, where), leafHashes[index], ...proof.slice(where)])).toBe(
          false,
        );
        if (proof.length > 0) {
          expect(check(proof.filter((_, k) => k !== at % proof.length))).toBe(false);
          expect(
            check(proof.map((hash, k) => (k === at % proof.length ? EMPTY_TREE_ROOT : hash))),
          ).toBe(false);
        }
      }),
    );
  });

  it('fails for any other leaf index of the same tree', () => {
    fc.assert(
      fc.property(leafInTree, fc.nat(), ({ size, index }, other) => {
        const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
        const wrong = BigInt((index + 1 + (other % (2 * size))) % (2 * size + 1));
        fc.pre(wrong !== BigInt(index));
        expect(verifyInclusion(wrong, BigInt(size), leafHashes[index], proof, roots[size])).toBe(
          false,
        );
      }),
    );
  });

  it('fails for another tree size against that tree’s root', () => {
    fc.assert(
      fc.property(
        leafInTree,
        fc.integer({ min: 1, max: MAX_SIZE }),
        ({ size, index }, otherSize) => {
          fc.pre(otherSize !== size && otherSize > index);
          const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
          expect(
            verifyInclusion(
              BigInt(index),
              BigInt(otherSize),
              leafHashes[index],
              proof,
              roots[otherSize],
            ),
          ).toBe(false);
        },
      ),
    );
  });

  it('against the same root, verifies under another size only where the path takes the same turns', () => {
    // RFC 9162 proofs do not carry the tree size: leaf 0 has the same path, three left
    // turns, in trees of 5 and 6 leaves. A signed checkpoint binds the size to the root.
    const proofIn5 = inclusionProof(treeOf(5), 0n, 5n);
    expect(verifyInclusion(0n, 6n, leafHashes[0], proofIn5, roots[5])).toBe(true);
    fc.assert(
      fc.property(
        leafInTree,
        fc.integer({ min: 1, max: 2 * MAX_SIZE }),
        ({ size, index }, otherSize) => {
          fc.pre(otherSize !== size && otherSize > index);
          const proof = inclusionProof(treeOf(size), BigInt(index), BigInt(size));
          const sameTurns =
            JSON.stringify(naivePathTurns(index, otherSize)) ===
            JSON.stringify(naivePathTurns(index, size));
          expect(
            verifyInclusion(
              BigInt(index),
              BigInt(otherSize),
              leafHashes[index],
              proof,
              roots[size],
            ),
          ).toBe(sameTurns);
        },
      ),
    );
  });

  it('returns false, never throws, for impossible sizes and malformed hashes', () => {
    const proof = inclusionProof(treeOf(8), 3n, 8n);
    expect(verifyInclusion(9n, 8n, leafHashes[3], proof, roots[8])).toBe(false);
    expect(verifyInclusion(-1n, 8n, leafHashes[3], proof, roots[8])).toBe(false);
    expect(verifyInclusion(3n, -8n, leafHashes[3], proof, roots[8])).toBe(false);
    expect(
      verifyInclusion(3n, 8n, leafHashes[3], [...proof.slice(1), Buffer.alloc(33)], roots[8]),
    ).toBe(false);
    expect(verifyInclusion(3n, 8n, leafHashes[3], proof, roots[8].subarray(1))).toBe(false);
  });
});

describe('rootFromInclusionProof', () => {
  it('names the values it refuses', () => {
    const proof = inclusionProof(treeOf(8), 3n, 8n);
    expect(() => rootFromInclusionProof(9n, 8n, leafHashes[3], proof)).toThrow(
      new ProofError('leaf index 9 is not below tree size 8'),
    );
    expect(() => rootFromInclusionProof(3n, 8n, leafHashes[3], proof.slice(1))).toThrow(
      new ProofError('the inclusion proof of leaf 3 in a tree of size 8 has 3 hashes, got 2'),
    );
    expect(() => rootFromInclusionProof(3n, 8n, leafHashes[3], [...proof, proof[0]])).toThrow(
      new ProofError('the inclusion proof of leaf 3 in a tree of size 8 has 3 hashes, got 4'),
    );
    expect(() => rootFromInclusionProof(3n, 8n, Buffer.alloc(5), proof)).toThrow(
      new ProofError('leaf hash has 5 bytes, not 32'),
    );
  });
});

describe('consistencyProof', () => {
  it('is PROOF(m, D[n]) of the reference and verifies', () => {
    fc.assert(
      fc.property(twoSizes, ({ from, to }) => {
        const proof = consistencyProof(treeOf(to), BigInt(from), BigInt(to));
        expect(proof).toEqual(naiveConsistencyProof(from, leafHashes.slice(0, to)));
        expect(verifyConsistency(BigInt(from), BigInt(to), proof, roots[from], roots[to])).toBe(
          true,
        );
      }),
    );
  });

  it('for every pair of sizes up to 32 leaves', () => {
    for (let to = 2; to <= 32; to++) {
      const nodes = treeOf(to);
      for (let from = 1; from < to; from++) {
        const proof = consistencyProof(nodes, BigInt(from), BigInt(to));
        expect(proof).toEqual(naiveConsistencyProof(from, leafHashes.slice(0, to)));
        expect(verifyConsistency(BigInt(from), BigInt(to), proof, roots[from], roots[to])).toBe(
          true,
        );
      }
    }
  });

  it('is empty from the empty tree and between equal sizes (as transparency-dev/merkle)', () => {
    const nodes = treeOf(8);
    expect(consistencyProof(nodes, 0n, 8n)).toEqual([]);
    expect(consistencyProof(nodes, 0n, 0n)).toEqual([]);
    expect(consistencyProof(nodes, 5n, 5n)).toEqual([]);
    expect(verifyConsistency(0n, 8n, [], EMPTY_TREE_ROOT, roots[8])).toBe(true);
    expect(verifyConsistency(5n, 5n, [], roots[5], roots[5])).toBe(true);
    expect(verifyConsistency(5n, 5n, [], roots[5], roots[6])).toBe(false);
    expect(verifyConsistency(0n, 8n, [roots[8]], EMPTY_TREE_ROOT, roots[8])).toBe(false);
  });

  it('names the values it refuses', () => {
    const nodes = treeOf(8);
    expect(() => consistencyProof(nodes, 6n, 5n)).toThrow(
      new ProofError('from size 6 is bigger than to size 5'),
    );
    expect(() => consistencyProof(nodes, -1n, 5n)).toThrow(
      new ProofError('from size -1 is negative'),
    );
    expect(() => consistencyProof(nodes, 3n, 9n)).toThrow(MissingSubtreeError);
  });
});

describe('verifyConsistency', () => {
  it('fails when any bit of the proof or of either root is flipped', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.nat(), fc.nat(7), ({ from, to }, at, byte, bit) => {
        const proof = consistencyProof(treeOf(to), BigInt(from), BigInt(to));
        const [m, n] = [BigInt(from), BigInt(to)];
        const [flippedFrom] = withOneBitFlipped([roots[from]], 0, byte, bit);
        const [flippedTo] = withOneBitFlipped([roots[to]], 0, byte, bit);
        expect(
          verifyConsistency(m, n, withOneBitFlipped(proof, at, byte, bit), roots[from], roots[to]),
        ).toBe(false);
        expect(verifyConsistency(m, n, proof, flippedFrom, roots[to])).toBe(false);
        expect(verifyConsistency(m, n, proof, roots[from], flippedTo)).toBe(false);
      }),
    );
  });

  it('fails when a hash is added, removed or replaced', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), ({ from, to }, at) => {
        const proof = consistencyProof(treeOf(to), BigInt(from), BigInt(to));
        const check = (changed: Hash[]) =>
          verifyConsistency(BigInt(from), BigInt(to), changed, roots[from], roots[to]);
        const where = at % (proof.length + 1);
        expect(check([...proof.slice(0, where), roots[from], ...proof.slice(where)])).toBe(false);
        expect(check([...proof.slice(0, where), roots[to], ...proof.slice(where)])).toBe(false);
        expect(check(proof.filter((_, k) => k !== at % proof.length))).toBe(false);
        expect(
          check(proof.map((hash, k) => (k === at % proof.length ? EMPTY_TREE_ROOT : hash))),
        ).toBe(false);
      }),
    );
  });

  it('fails for other sizes against the roots of those sizes', () => {
    fc.assert(
      fc.property(
        twoSizes,
        fc.integer({ min: 0, max: MAX_SIZE }),
        fc.integer({ min: 0, max: MAX_SIZE }),
        ({ from, to }, otherFrom, otherTo) => {
          fc.pre(otherFrom <= otherTo && (otherFrom !== from || otherTo !== to));
          const proof = consistencyProof(treeOf(to), BigInt(from), BigInt(to));
          const verified = verifyConsistency(
            BigInt(otherFrom),
            BigInt(otherTo),
            proof,
            roots[otherFrom],
            roots[otherTo],
          );
          expect(verified).toBe(false);
        },
      ),
    );
  });

  it('returns false, never throws, for sizes out of order and malformed hashes', () => {
    const proof = consistencyProof(treeOf(8), 3n, 8n);
    expect(verifyConsistency(8n, 3n, proof, roots[3], roots[8])).toBe(false);
    expect(verifyConsistency(-3n, 8n, proof, roots[3], roots[8])).toBe(false);
    expect(
      verifyConsistency(3n, 8n, [...proof.slice(1), Buffer.alloc(31)], roots[3], roots[8]),
    ).toBe(false);
    expect(verifyConsistency(3n, 8n, proof, roots[3].subarray(0, 31), roots[8])).toBe(false);
  });
});
