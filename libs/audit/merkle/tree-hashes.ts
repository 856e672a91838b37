import * as crypto from 'node:crypto';

/** A SHA-256 digest: always 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

/** RFC 9162 2.1.1: MTH({}) = HASH(), the hash of the empty string. */
export const EMPTY_TREE_ROOT: Hash = crypto.createHash('sha256').digest();

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// One-shot crypto.hash (Node >= 20.12) over one buffer costs about a third less CPU than
// createHash().update().update().digest() on this machine (600-byte leaf: 3.5 µs against
// 5.3 µs; a node: 2.7 µs against 4.1 µs, measured with process.cpuUsage over 300k calls).
// Older Node 20 releases fall back to createHash.
export const sha256: (data: Buffer) => Hash =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/** RFC 9162 2.1.1: the hash of a leaf, SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Hash {
  const input = Buffer.allocUnsafe(1 + leaf.length);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return sha256(input);
}

// Hashing is synchronous, so one scratch buffer serves every call of nodeHash without
// an allocation per node.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/** RFC 9162 2.1.1: the hash of an interior node, SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new RangeError(
      `a node hash needs two ${HASH_SIZE}-byte hashes, got ${left.length} and ${right.length} bytes`,
    );
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}
