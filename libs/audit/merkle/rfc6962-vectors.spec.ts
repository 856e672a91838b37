import vectors from './testdata/rfc6962-vectors.json';
import { naiveRoot } from './testing/naive-tree';
import { storedTree } from './testing/stored-tree';
import { EMPTY_TREE_ROOT, Hash, leafHash, nodeHash } from './tree-hashes';
import { TreeFrontier } from './tree-frontier';
import {
  consistencyProof,
  inclusionProof,
  rootAt,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './tree-proofs';

const hex = (value: string): Hash => Buffer.from(value, 'hex');
const base64 = (value: string): Hash => Buffer.from(value, 'base64');
const leaves = vectors.leaves.map(hex);
const nodeHashes = vectors.nodeHashes.map((level) => level.map(hex));
const roots = vectors.roots.map(hex);
const someHash = hex(vectors.someHash);
const emptyHash = Buffer.alloc(0);

describe('RFC 6962 test vectors (transparency-dev/merkle)', () => {
  const leafHashes = leaves.map(leafHash);
  const { nodes } = storedTree(leafHashes);

  it('hashes the leaves and every perfect subtree as listed', () => {
    expect(leafHashes).toEqual(nodeHashes[0]);
    for (let level = 1; level < nodeHashes.length; level++) {
      nodeHashes[level].forEach((hash, index) =>
        expect(
          nodeHash(nodeHashes[level - 1][2 * index], nodeHashes[level - 1][2 * index + 1]),
        ).toEqual(hash),
      );
    }
  });

  it('stores exactly those perfect subtrees while appending', () => {
    nodeHashes.forEach((level, l) =>
      level.forEach((hash, index) => expect(nodes.hashAt(l, BigInt(index))).toEqual(hash)),
    );
  });

  it('has the listed root for every size from 0 to 8, however it is computed', () => {
    expect(EMPTY_TREE_ROOT).toEqual(hex(vectors.emptyRoot));
    const frontier = TreeFrontier.empty();
    for (let size = 0; size <= 8; size++) {
      if (size > 0) frontier.append(leafHashes[size - 1]);
      expect(frontier.root()).toEqual(roots[size]);
      expect(rootAt(nodes, BigInt(size))).toEqual(roots[size]);
      expect(naiveRoot(leafHashes.slice(0, size))).toEqual(roots[size]);
    }
  });

  it('keeps the listed compact range (frontier) for every size', () => {
    const frontier = TreeFrontier.empty();
    vectors.frontiers.forEach((refs, size) => {
      if (size > 0) frontier.append(leafHashes[size - 1]);
      const expected = refs.map(([level, index]) => nodeHashes[level][index]);
      expect(frontier.hashes).toEqual(expected);
      expect(TreeFrontier.fromSubtrees(nodes, BigInt(size)).hashes).toEqual(expected);
    });
  });

  describe.each(vectors.inclusionProofs)(
    'inclusion proof of leaf $leaf (1-based) in a tree of $size',
    (vector) => {
      const leafIndex = BigInt(vector.leaf - 1);
      const treeSize = BigInt(vector.size);
      const proof = vector.proof.map(hex);
      const root = roots[vector.size];
      const hash = leafHashes[vector.leaf - 1];

      it('is generated from the stored subtrees', () => {
        expect(inclusionProof(nodes, leafIndex, treeSize)).toEqual(proof);
      });

      it('verifies, and leads to the root', () => {
        expect(rootFromInclusionProof(leafIndex, treeSize, hash, proof)).toEqual(root);
        expect(verifyInclusion(leafIndex, treeSize, hash, proof, root)).toBe(true);
      });

      it.each(corruptInclusionProof(leafIndex, treeSize, proof, root, hash))(
        'is rejected: $desc',
        (probe) => {
          expect(
            verifyInclusion(
              probe.leafIndex,
              probe.treeSize,
              probe.leafHash,
              probe.proof,
              probe.root,
            ),
          ).toBe(false);
        },
      );
    },
  );

  describe.each(vectors.consistencyProofs)('consistency proof from $size1 to $size2', (vector) => {
    const fromSize = BigInt(vector.size1);
    const toSize = BigInt(vector.size2);
    const proof = vector.proof.map(hex);
    const fromRoot = roots[vector.size1];
    const toRoot = roots[vector.size2];

    it('is generated from the stored subtrees', () => {
      expect(consistencyProof(nodes, fromSize, toSize)).toEqual(proof);
    });

    it('verifies', () => {
      expect(verifyConsistency(fromSize, toSize, proof, fromRoot, toRoot)).toBe(true);
    });

    // As upstream, the probes need a proof to corrupt (not the empty proof of equal sizes).
    if (proof.length > 0) {
      const probes = corruptConsistencyProof(fromSize, toSize, fromRoot, toRoot, proof);
      it.each(probes)('is rejected: $desc', (probe) => {
        expect(
          verifyConsistency(probe.size1, probe.size2, probe.proof, probe.root1, probe.root2),
        ).toBe(false);
      });
    }
  });

  describe('the fixtures written out upstream', () => {
    it.each(vectors.fixtures.inclusion)('inclusion: $desc', (fixture) => {
      const verified = verifyInclusion(
        BigInt(fixture.leafIdx),
        BigInt(fixture.treeSize),
        base64(fixture.leafHash),
        fixture.proof.map(base64),
        base64(fixture.root),
      );
      expect(verified).toBe(!fixture.wantErr);
    });

    it.each(vectors.fixtures.consistency)('consistency: $desc', (fixture) => {
      const verified = verifyConsistency(
        BigInt(fixture.size1),
        BigInt(fixture.size2),
        (fixture.proof ?? []).map(base64),
        base64(fixture.root1),
        base64(fixture.root2),
      );
      expect(verified).toBe(!fixture.wantErr);
    });
  });

  describe('the special cases of verify_test.go', () => {
    it('a tree of one leaf: the root is the leaf hash and the proof is empty', () => {
      const hash = leafHash(Buffer.from('data'));
      expect(verifyInclusion(0n, 1n, hash, [], hash)).toBe(true);
      expect(verifyInclusion(0n, 1n, emptyHash, [], hash)).toBe(false);
      expect(verifyInclusion(0n, 1n, hash, [], emptyHash)).toBe(false);
      expect(verifyInclusion(0n, 1n, emptyHash, [], emptyHash)).toBe(false);
    });

    it.each([
      [0n, 0n],
      [0n, 1n],
      [1n, 0n],
      [2n, 1n],
    ])(
      'an empty inclusion proof with a wrong leaf or root (index %s, size %s) fails',
      (index, size) => {
        expect(verifyInclusion(index, size, someHash, [], emptyHash)).toBe(false);
        expect(verifyInclusion(index, size, emptyHash, [], EMPTY_TREE_ROOT)).toBe(false);
        expect(verifyInclusion(index, size, someHash, [], EMPTY_TREE_ROOT)).toBe(false);
      },
    );

    const root1 = Buffer.from("don't care 1");
    const root2 = Buffer.from("don't care 2");
    it.each([
      { size1: 0n, size2: 0n, root1, root2, proof: [], ok: false },
      { size1: 1n, size2: 1n, root1, root2, proof: [], ok: false },
      { size1: 0n, size2: 0n, root1, root2: root1, proof: [], ok: true },
      { size1: 0n, size2: 1n, root1, root2, proof: [], ok: true },
      { size1: 1n, size2: 1n, root1: root2, root2, proof: [], ok: true },
      { size1: 1n, size2: 0n, root1, root2, proof: [], ok: false },
      { size1: 2n, size2: 1n, root1, root2, proof: [], ok: false },
      { size1: 1n, size2: 2n, root1, root2, proof: [], ok: false },
      { size1: 0n, size2: 0n, root1: EMPTY_TREE_ROOT, root2, proof: [], ok: false },
      { size1: 1n, size2: 1n, root1: EMPTY_TREE_ROOT, root2, proof: [], ok: false },
      {
        size1: 0n,
        size2: 0n,
        root1: EMPTY_TREE_ROOT,
        root2: EMPTY_TREE_ROOT,
        proof: [EMPTY_TREE_ROOT],
        ok: false,
      },
      {
        size1: 0n,
        size2: 1n,
        root1: EMPTY_TREE_ROOT,
        root2: EMPTY_TREE_ROOT,
        proof: [EMPTY_TREE_ROOT],
        ok: false,
      },
      {
        size1: 1n,
        size2: 1n,
        root1: EMPTY_TREE_ROOT,
        root2: EMPTY_TREE_ROOT,
        proof: [EMPTY_TREE_ROOT],
        ok: false,
      },
    ])(
      'consistency from $size1 to $size2 verifies: $ok',
      ({ size1, size2, root1, root2, proof, ok }) => {
        expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(ok);
      },
    );
  });
});

// The probes of verify_test.go (corruptInclusionProof and corruptConsistencyProof), with
// uint64 wrap-around replaced by plain BigInt arithmetic (leafIndex - 1 of leaf 0 is -1).

interface InclusionProbe {
  leafIndex: bigint;
  treeSize: bigint;
  root: Hash;
  leafHash: Hash;
  proof: Hash[];
  desc: string;
}

function corruptInclusionProof(
  leafIndex: bigint,
  treeSize: bigint,
  proof: Hash[],
  root: Hash,
  hash: Hash,
): InclusionProbe[] {
  const probe = (desc: string, change: Partial<InclusionProbe>): InclusionProbe => ({
    leafIndex,
    treeSize,
    root,
    leafHash: hash,
    proof,
    desc,
    ...change,
  });
  const probes = [
    probe('leafIndex - 1', { leafIndex: leafIndex - 1n }),
    probe('leafIndex + 1', { leafIndex: leafIndex + 1n }),
    probe('leafIndex ^ 2', { leafIndex: leafIndex ^ 2n }),
    probe('treeSize * 2', { treeSize: treeSize * 2n }),
    probe('treeSize / 2', { treeSize: treeSize / 2n }),
    probe('wrong leaf', { leafHash: Buffer.from('WrongLeaf') }),
    probe('empty root', { root: EMPTY_TREE_ROOT }),
    probe('random root', { root: someHash }),
    probe('trailing garbage', { proof: [...proof, emptyHash] }),
    probe('trailing root', { proof: [...proof, root] }),
    probe('preceding garbage', { proof: [emptyHash, ...proof] }),
    probe('preceding root', { proof: [root, ...proof] }),
    ...proof.map((_, i) => probe(`modified proof[${i}] bit 3`, { proof: flipBit(proof, i, 8) })),
  ];
  if (proof.length > 0) probes.push(probe('removed component', { proof: proof.slice(0, -1) }));
  if (proof.length > 1) {
    probes.push(probe('inserted component', { proof: [proof[0], someHash, ...proof.slice(1)] }));
  }
  return probes;
}

interface ConsistencyProbe {
  size1: bigint;
  size2: bigint;
  root1: Hash;
  root2: Hash;
  proof: Hash[];
  desc: string;
}

function corruptConsistencyProof(
  size1: bigint,
  size2: bigint,
  root1: Hash,
  root2: Hash,
  proof: Hash[],
): ConsistencyProbe[] {
  const probe = (desc: string, change: Partial<ConsistencyProbe>): ConsistencyProbe => ({
    size1,
    size2,
    root1,
    root2,
    proof,
    desc,
    ...change,
  });
  const wrongRoot = Buffer.from('WrongRoot');
  return [
    probe('size1 - 1', { size1: size1 - 1n }),
    probe('size1 + 1', { size1: size1 + 1n }),
    probe('size1 ^ 2', { size1: size1 ^ 2n }),
    probe('size2 * 2', { size2: size2 * 2n }),
    probe('size2 / 2', { size2: size2 / 2n }),
    probe('wrong root1', { root1: wrongRoot }),
    probe('wrong root2', { root2: wrongRoot }),
    probe('swapped roots', { root1: root2, root2: root1 }),
    probe('empty proof', { proof: [] }),
    probe('trailing garbage', { proof: [...proof, emptyHash] }),
    probe('trailing root1', { proof: [...proof, root1] }),
    probe('trailing root2', { proof: [...proof, root2] }),
    probe('preceding garbage', { proof: [emptyHash, ...proof] }),
    probe('preceding root1', { proof: [root1, ...proof] }),
    probe('preceding root2', { proof: [root2, ...proof] }),
    probe('preceding proof[0]', { proof: [proof[0], ...proof] }),
    probe('truncated proof', { proof: proof.slice(0, -1) }),
    ...proof.map((_, i) => probe(`modified proof[${i}] bit 4`, { proof: flipBit(proof, i, 16) })),
  ];
}

function flipBit(proof: Hash[], i: number, mask: number): Hash[] {
  const copy = proof.map((hash) => Buffer.from(hash));
  copy[i][0] ^= mask;
  return copy;
}
