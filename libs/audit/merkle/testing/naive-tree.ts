import { EMPTY_TREE_ROOT, Hash, nodeHash } from '../tree-hashes';

// The definitions of RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 written as their recursions over
// the list of leaf hashes, with nothing stored: the reference the stored-subtree code is
// tested against. Quadratic at worst; meant for trees of a few hundred leaves.

/** k: the largest power of two smaller than n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
export function naiveRoot(leafHashes: readonly Hash[]): Hash {
  const n = leafHashes.length;
  if (n === 0) return EMPTY_TREE_ROOT;
  if (n === 1) return leafHashes[0];
  const k = split(n);
  return nodeHash(naiveRoot(leafHashes.slice(0, k)), naiveRoot(leafHashes.slice(k)));
}

/** PATH(m, D[n]). */
export function naiveInclusionProof(m: number, leafHashes: readonly Hash[]): Hash[] {
  const n = leafHashes.length;
  if (n <= 1) return [];
  const k = split(n);
  return m < k
    ? [...naiveInclusionProof(m, leafHashes.slice(0, k)), naiveRoot(leafHashes.slice(k))]
    : [...naiveInclusionProof(m - k, leafHashes.slice(k)), naiveRoot(leafHashes.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m < n. */
export function naiveConsistencyProof(m: number, leafHashes: readonly Hash[]): Hash[] {
  return naiveSubproof(m, leafHashes, true);
}

/** SUBPROOF(m, D[n], b), for the pieces of a proof whose tree the test only builds in part. */
export function naiveSubproof(m: number, leafHashes: readonly Hash[], b: boolean): Hash[] {
  const n = leafHashes.length;
  if (m === n) return b ? [] : [naiveRoot(leafHashes)];
  const k = split(n);
  return m <= k
    ? [...naiveSubproof(m, leafHashes.slice(0, k), b), naiveRoot(leafHashes.slice(k))]
    : [...naiveSubproof(m - k, leafHashes.slice(k), false), naiveRoot(leafHashes.slice(0, k))];
}

/**
 * The turns of PATH(m, D[n]), bottom first: true where the sibling is on the left. Two
 * (index, size) pairs with the same turns take the same proof to the same root, which
 * RFC 9162 allows: the signed checkpoint, not the proof, binds a size to a root.
 */
export function naivePathTurns(m: number, n: number): boolean[] {
  if (n <= 1) return [];
  const k = split(n);
  return m < k ? [...naivePathTurns(m, k), false] : [...naivePathTurns(m - k, n - k), true];
}
