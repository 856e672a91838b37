import { HASH_SIZE, nodeHashLatin1, sha256Latin1 } from '../merkle/tree-hashes';
import type { CheckpointLine } from './bundle-format';
import { checkpointInLeaf } from './checkpoint-leaf';
import { readLeafLine } from './leaf-line';

/** Some lines of leaves.ndjson to hash, on a worker thread or not. */
export interface LeafChunkJob {
  /** Whole lines (the last one may lack its newline, at the end of the file). */
  readonly bytes: Uint8Array;
  /** Where the first line's leaf belongs in the log: a multiple of the lines a chunk has. */
  readonly position: number;
  /** Every leaf's hash back too: a checkpoint's size or an inclusion proof falls inside. */
  readonly leafHashes: boolean;
  readonly eventIds: boolean;
}

/** A CheckpointSigned leaf found at position `at`; its line's leafIndex as the leaf spells it. */
export interface CheckpointLeaf {
  readonly at: number;
  readonly line: CheckpointLine;
}

/** The line the chunk stopped at: a leaf out of order, or a line that is not a leaf. */
export type ChunkStop =
  | {
      readonly kind: 'out-of-order';
      readonly index: number | string;
      readonly eventId: string;
      readonly hash: Uint8Array;
    }
  | { readonly kind: 'malformed'; readonly line: number; readonly reason: string };

export interface HashedLeafChunk {
  readonly position: number;
  /** The leaves, from the first line on, that are in order and hashed. */
  readonly count: number;
  /** The perfect subtrees covering [position, position + count), biggest first, 32 bytes each. */
  readonly subtrees: Uint8Array;
  /** Only when asked: 32 bytes a leaf, and each leaf's event id. */
  readonly leafHashes?: Uint8Array;
  readonly eventIds?: string[];
  /** The CheckpointSigned leaves among the counted ones and the stopping one, in order. */
  readonly checkpoints: CheckpointLeaf[];
  readonly stop?: ChunkStop;
}

const NEWLINE = 0x0a;
const LEAF_PREFIX = 0x00;

// Synchronous use only: one chunk at a time per thread. Each leaf's base64 is decoded into
// it after a 0x00 byte and hashed there, without a copy.
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
// Views of scratch from its start, by length, made once: hashing needs a view of the leaf's
// exact length, and a subarray per leaf cost 149 ns (best of 7 over 4096 leaves; finding
// the leaf's line costs 51). With them, hashLeafChunk ran 1.3k fewer instructions a leaf
// (35.6-35.8k against 36.9-37.1k, valgrind, two runs of 65k-98k leaves; valgrind's SHA-256
// lacks SHA-NI, so the share of a real leaf's CPU is bigger than its 3.6%).
let scratchViews = viewsOf(scratch);

/**
 * Hashes a chunk's leaves and folds them into the perfect subtrees they make: `position` is
 * a multiple of the chunk's line count (a power of two), so its leaves are one perfect
 * subtree, or the few of a shorter last chunk. Then the thread that keeps the tree folds
 * a handful of hashes per chunk, instead of hashing one interior node per leaf.
 */
export function hashLeafChunk(job: LeafChunkJob): HashedLeafChunk {
  const buf = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  // TreeFrontier's fold on strings: the subtrees [0, count) of the chunk, biggest first.
  const subtrees: string[] = [];
  const leafHashes: string[] = [];
  const eventIds: string[] = [];
  const checkpoints: CheckpointLeaf[] = [];
  let stop: ChunkStop | undefined;
  let count = 0;
  for (let start = 0; start < buf.length;) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    const at = job.position + count;
    const line = readLeafLine(buf, start, end, job.eventIds);
    if (typeof line === 'string') {
      stop = { kind: 'malformed', line: at + 1, reason: line };
      break;
    }
    const input = prefixedLeaf(line.base64);
    const hash = sha256Latin1(input);
    const checkpoint = checkpointInLeaf(line.index, line.eventId, input, 1);
    if (checkpoint) checkpoints.push({ at, line: checkpoint });
    if (line.index !== at && line.index !== String(at)) {
      const leafHash = Buffer.from(hash, 'latin1');
      stop = { kind: 'out-of-order', index: line.index, eventId: line.eventId, hash: leafHash };
      break;
    }
    let node = hash;
    for (let index = count; (index & 1) === 1; index >>>= 1) {
      node = nodeHashLatin1(subtrees.pop()!, node);
    }
    subtrees.push(node);
    if (job.leafHashes) leafHashes.push(hash);
    if (job.eventIds) eventIds.push(line.eventId);
    count++;
    start = end + 1;
  }
  return {
    position: job.position,
    count,
    subtrees: packHashes(subtrees),
    ...(job.leafHashes ? { leafHashes: packHashes(leafHashes) } : {}),
    ...(job.eventIds ? { eventIds } : {}),
    checkpoints,
    ...(stop ? { stop } : {}),
  };
}

/** 0x00 || the leaf's bytes, in the scratch buffer: what its RFC 9162 hash is of. */
function prefixedLeaf(base64: string): Buffer {
  const need = 1 + Math.ceil((base64.length * 3) / 4);
  if (need > scratch.length) {
    scratch = Buffer.allocUnsafeSlow(need * 2);
    scratchViews = viewsOf(scratch);
  }
  scratch[0] = LEAF_PREFIX;
  const length = scratch.write(base64, 1, 'base64');
  return (scratchViews[1 + length] ??= scratch.subarray(0, 1 + length));
}

function viewsOf(buffer: Buffer): (Buffer | undefined)[] {
  return new Array<Buffer | undefined>(buffer.length + 1);
}

/** One ArrayBuffer of its own (never the shared Buffer pool): it is transferred, not copied. */
function packHashes(hashes: readonly string[]): Uint8Array {
  const packed = Buffer.from(new ArrayBuffer(hashes.length * HASH_SIZE));
  hashes.forEach((hash, i) => packed.write(hash, i * HASH_SIZE, 'latin1'));
  return packed;
}
