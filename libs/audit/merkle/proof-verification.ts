import { ProofError } from './proof-error';
import { bitLength, popCount } from './tree-bits';
import { Hash, HASH_SIZE, nodeHash } from './tree-hashes';

// Verification follows the algorithms of RFC 9162 2.1.3.2 and 2.1.4.2 step by step, with
// BigInt indices so that any 64-bit (or bigger) index an outside proof names is handled.
// verifyInclusion and verifyConsistency never throw: any argument that does not check,
// impossible sizes included, gives false. rootFromInclusionProof throws ProofError.

/** RFC 9162 2.1.3.2, returning r instead of comparing it: the root the proof leads to. */
export function rootFromInclusionProof(
  leafIndex: bigint,
  treeSize: bigint,
  leafHash: Hash,
  proof: readonly Hash[],
): Hash {
  if (leafIndex < 0n) throw new ProofError(`leaf index ${leafIndex} is negative`);
  // 1. leaf_index >= tree_size fails.
  if (leafIndex >= treeSize) {
    throw new ProofError(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  requireHash('leaf hash', leafHash);
  proof.forEach((hash, i) => requireHash(`proof hash ${i}`, hash));
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1n;
  // 3. r = hash.
  let r = leafHash;
  // 4. For each p in inclusion_path:
  for (const p of proof) {
    // a. sn = 0: fail.
    if (sn === 0n) throw wrongInclusionLength(leafIndex, treeSize, proof.length);
    // b. LSB(fn) set or fn = sn: r = HASH(0x01 || p || r), then, if LSB(fn) is not set,
    //    shift fn and sn until LSB(fn) is set or fn is 0. Otherwise r = HASH(0x01 || r || p).
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    // c. Shift fn and sn once.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. sn must be 0 (the caller compares r with the root).
  if (sn !== 0n) throw wrongInclusionLength(leafIndex, treeSize, proof.length);
  return r;
}

/** RFC 9162 2.1.3.2: true iff the proof shows the leaf at leafIndex in the tree of treeSize with that root. */
export function verifyInclusion(
  leafIndex: bigint,
  treeSize: bigint,
  leafHash: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  try {
    return (
      root.length === HASH_SIZE &&
      rootFromInclusionProof(leafIndex, treeSize, leafHash, proof).equals(root)
    );
  } catch (error) {
    if (error instanceof ProofError) return false;
    throw error;
  }
}

/**
 * RFC 9162 2.1.4.2: true iff the proof shows the tree of toSize (toRoot) extends the tree
 * of fromSize (fromRoot). Before the RFC's steps, as transparency-dev/merkle does
 * (proof.VerifyConsistency): equal sizes need an empty proof and equal roots; every tree
 * is consistent with the empty one (fromSize 0, empty proof, fromRoot not looked at).
 */
export function verifyConsistency(
  fromSize: bigint,
  toSize: bigint,
  proof: readonly Hash[],
  fromRoot: Hash,
  toRoot: Hash,
): boolean {
  if (fromSize < 0n || fromSize > toSize) return false;
  if (fromSize === toSize) return proof.length === 0 && fromRoot.equals(toRoot);
  if (fromSize === 0n) return proof.length === 0;
  if (![fromRoot, toRoot, ...proof].every((hash) => hash.length === HASH_SIZE)) return false;
  // 1. An empty consistency_path fails.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash.
  const path = (fromSize & (fromSize - 1n)) === 0n ? [fromRoot, ...proof] : proof;
  // 3. fn = first - 1, sn = second - 1.
  let fn = fromSize - 1n;
  let sn = toSize - 1n;
  // 4. While LSB(fn) is set, shift fn and sn.
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. fr = sr = the first value of the path.
  let fr = path[0];
  let sr = path[0];
  // 6. For each subsequent value c:
  for (const c of path.slice(1)) {
    // a. sn = 0: fail.
    if (sn === 0n) return false;
    // b. LSB(fn) set or fn = sn: fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr),
    //    then, if LSB(fn) is not set, shift fn and sn until LSB(fn) is set or fn is 0.
    //    Otherwise sr = HASH(0x01 || sr || c).
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    // c. Shift fn and sn once.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7. fr = first_hash, sr = second_hash and sn = 0.
  return sn === 0n && fr.equals(fromRoot) && sr.equals(toRoot);
}

/** The number of hashes in the inclusion proof of a leaf (leafIndex < treeSize). */
export function inclusionProofLength(leafIndex: bigint, treeSize: bigint): number {
  // Below the level where the paths to leafIndex and to the last leaf part, every level
  // has a sibling; above it, only the levels where leafIndex's path turns right do.
  const inner = bitLength(leafIndex ^ (treeSize - 1n));
  return inner + popCount(leafIndex >> BigInt(inner));
}

function wrongInclusionLength(leafIndex: bigint, treeSize: bigint, got: number): ProofError {
  const want = inclusionProofLength(leafIndex, treeSize);
  return new ProofError(
    `the inclusion proof of leaf ${leafIndex} in a tree of size ${treeSize} has ${want} hashes, got ${got}`,
  );
}

function requireHash(name: string, hash: Uint8Array): void {
  if (hash.length !== HASH_SIZE)
    throw new ProofError(`${name} has ${hash.length} bytes, not ${HASH_SIZE}`);
}
