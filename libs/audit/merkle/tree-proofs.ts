import { PerfectSubtrees } from './perfect-subtrees';
import { ProofError } from './proof-error';
import { bitLength, perfectSubtreesCovering, splitPoint } from './tree-bits';
import { EMPTY_TREE_ROOT, Hash, nodeHash } from './tree-hashes';

// Proof generation from stored perfect subtrees. Walking the RFC's recursion from the root
// down, every sibling is one stored perfect subtree except at most one: the first time the
// walk turns left below the right border, the right sibling is the ragged range
// [begin + k, begin + n), read as its log n perfect parts. So every function here reads
// O(log n) stored hashes.

export { ProofError, MissingSubtreeError } from './proof-error';
export * from './proof-verification';

/** RFC 9162 2.1.1 MTH of the first treeSize leaves. */
export function rootAt(nodes: PerfectSubtrees, treeSize: bigint): Hash {
  requireSize('tree size', treeSize);
  return treeSize === 0n ? EMPTY_TREE_ROOT : rangeHash(nodes, 0n, treeSize);
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]): sibling hashes from the leaf up to the root. */
export function inclusionProof(
  nodes: PerfectSubtrees,
  leafIndex: bigint,
  treeSize: bigint,
): Hash[] {
  requireSize('tree size', treeSize);
  requireSize('leaf index', leafIndex);
  if (leafIndex >= treeSize) {
    throw new ProofError(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  const fromTheTop: Hash[] = [];
  // Down the right border while the leaf is in the ragged right part: the left sibling
  // is the perfect subtree [begin, begin + k).
  let begin = 0n;
  let size = treeSize;
  while (size > 1n) {
    const kLevel = bitLength(size - 1n) - 1;
    const k = 1n << BigInt(kLevel);
    if (leafIndex < begin + k) {
      fromTheTop.push(rangeHash(nodes, begin + k, size - k));
      size = k;
      break;
    }
    fromTheTop.push(nodes.hashAt(kLevel, begin >> BigInt(kLevel)));
    begin += k;
    size -= k;
  }
  // Then inside the perfect subtree of `size` leaves (a power of two): one stored sibling
  // per level, the index with its low bit flipped.
  for (let level = bitLength(size) - 2; level >= 0; level--) {
    fromTheTop.push(nodes.hashAt(level, (leafIndex >> BigInt(level)) ^ 1n));
  }
  return fromTheTop.reverse();
}

/**
 * RFC 9162 2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), bottom first. The RFC defines
 * it for 0 < m < n; like transparency-dev/merkle (proof.Consistency), m = 0 and m = n give
 * the empty proof, which verifyConsistency accepts.
 */
export function consistencyProof(nodes: PerfectSubtrees, fromSize: bigint, toSize: bigint): Hash[] {
  requireSize('from size', fromSize);
  requireSize('to size', toSize);
  if (fromSize > toSize) {
    throw new ProofError(`from size ${fromSize} is bigger than to size ${toSize}`);
  }
  if (fromSize === 0n || fromSize === toSize) return [];
  const fromTheTop: Hash[] = [];
  let begin = 0n;
  let size = toSize;
  let m = fromSize;
  // b of SUBPROOF: true while the walk has only turned left, i.e. while the current
  // subtree starts at leaf 0 and the verifier already knows its old root.
  let knownToVerifier = true;
  while (m !== size) {
    const k = splitPoint(size);
    if (m <= k) {
      fromTheTop.push(rangeHash(nodes, begin + k, size - k));
      size = k;
    } else {
      fromTheTop.push(rangeHash(nodes, begin, k));
      begin += k;
      size -= k;
      m -= k;
      knownToVerifier = false;
    }
  }
  if (!knownToVerifier) fromTheTop.push(rangeHash(nodes, begin, size));
  return fromTheTop.reverse();
}

/** MTH(D[begin : begin + size]) from the perfect subtrees covering that range. */
function rangeHash(nodes: PerfectSubtrees, begin: bigint, size: bigint): Hash {
  const parts = perfectSubtreesCovering(begin, size).map(({ level, index }) =>
    nodes.hashAt(level, index),
  );
  let hash = parts[parts.length - 1];
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i], hash);
  return hash;
}

function requireSize(name: string, value: bigint): void {
  if (value < 0n) throw new ProofError(`${name} ${value} is negative`);
}
