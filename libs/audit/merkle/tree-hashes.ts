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
// Its digest is asked for as a latin1 string (a byte a character) and made a Buffer from the
// shared pool: a digest in a Buffer of its own (the 'buffer' encoding) allocates an
// ArrayBuffer per call, which cost more than hashing 500 bytes: 3.3 against 1.2 µs of CPU
// per 507-byte leaf, 2.9 against 0.85 µs per node (500k calls each, back to back).
// Older Node 20 releases fall back to createHash.
/**
 * SHA-256 as 32 latin1 characters, a byte each ('binary' is Node's other name for latin1):
 * for loops that only hash digests further.
 */
export const sha256Latin1: (data: Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'binary')
    : (data) => crypto.createHash('sha256').update(data).digest('binary');

export function sha256(data: Uint8Array): Hash {
  return Buffer.from(sha256Latin1(data), 'latin1');
}

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

/**
 * nodeHash of two digests as sha256Latin1 gives them, the result the same way: no Buffer
 * per node (a verifier's hashing thread folds a million leaves with it).
 */
export function nodeHashLatin1(left: string, right: string): string {
  nodeInput.write(left, 1, 'latin1');
  nodeInput.write(right, 1 + HASH_SIZE, 'latin1');
  return sha256Latin1(nodeInput);
}
