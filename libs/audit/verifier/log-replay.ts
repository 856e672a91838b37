import { TreeFrontier, type CompletedSubtree, type Hash } from '../merkle';
import { HASH_SIZE, leafHash } from '../merkle/tree-hashes';
import { describeCheckpoint, type TrustedCheckpoint } from './trusted-checkpoints';

/** A leaf as the replay takes it: the line's index and event id, the stored bytes. */
export interface ReplayLeaf {
  readonly index: string;
  readonly eventId: string;
  readonly bytes: Buffer;
}

/** Told of every completed subtree, and of the frontier at the sizes it asks for. */
export interface ReplayWitness {
  leaf(index: number, eventId: string, hash: Hash, frontier: TreeFrontier): void;
  completed(nodes: readonly CompletedSubtree[]): void;
  /** The replay reached a checkpoint's size. */
  reached(frontier: TreeFrontier): void;
}

/**
 * Rebuilds the tree from the leaves in order (a TreeFrontier: log n hashes of memory) and
 * compares its root with every trusted checkpoint as the replay reaches that checkpoint's
 * size. Two checkpoints whose roots both equal the root of the same leaves, cut at their
 * sizes, are consistent by construction: the smaller tree is literally the prefix of the
 * bigger one, which is all an RFC 9162 consistency proof shows (and a proof computed from
 * this very tree could not show anything more).
 *
 * Problems are sentences naming the position; the first one stops the replay of leaves
 * (everything after a missing or reordered leaf would be noise), the checkpoints still
 * reached are reported one by one.
 */
export class LogReplay {
  private readonly frontier = TreeFrontier.empty();
  private readonly checkpoints: TrustedCheckpoint[];
  /** The checkpoints' sizes, in the same order, as numbers. */
  private readonly sizes: number[];
  private next = 0;
  private nextSize = -1;
  private count = 0;
  private lastMatching: TrustedCheckpoint | undefined;
  private broken = false;
  readonly problems: string[] = [];
  readonly matched: TrustedCheckpoint[] = [];

  constructor(
    checkpoints: readonly TrustedCheckpoint[],
    private readonly witness?: ReplayWitness,
  ) {
    this.checkpoints = [...checkpoints].sort((a, b) =>
      a.treeSize < b.treeSize ? -1 : a.treeSize > b.treeSize ? 1 : 0,
    );
    this.sizes = this.checkpoints.map((checkpoint) => Number(checkpoint.treeSize));
    this.checkReached();
  }

  get size(): number {
    return this.count;
  }

  /** False once the leaves stopped making sense: the caller stops reading. */
  get readable(): boolean {
    return !this.broken;
  }

  root(): Hash {
    return this.frontier.root();
  }

  /** Adds the next leaf; false when it is not the next one (the replay stops). */
  add(leaf: ReplayLeaf): boolean {
    return this.addHashed(leaf.index, leaf.eventId, leafHash(leaf.bytes));
  }

  /**
   * `add` for a leaf already hashed (the bundle reader hashes in place, without a copy).
   * `index` as the line spells it: a number when it was plain decimal.
   */
  addHashed(index: number | string, eventId: string, hash: Hash): boolean {
    if (this.broken) return false;
    const expected = this.count;
    if (index !== expected && index !== String(expected)) {
      this.broken = true;
      this.problems.push(
        `leaf ${index}: index out of order (leaf ${expected} was expected here): ` +
          'a leaf was removed, added or moved',
      );
      return false;
    }
    this.witness?.leaf(expected, eventId, hash, this.frontier);
    const completed = this.frontier.append(hash);
    this.witness?.completed(completed);
    this.count = expected + 1;
    if (this.count === this.nextSize) this.checkReached();
    return true;
  }

  /**
   * Whether the leaves [from, to) must come one by one (addHashed), not folded into perfect
   * subtrees: a checkpoint's size falls inside, where its root is compared, or the witness
   * watches every leaf.
   */
  needsEachLeaf(from: number, to: number): boolean {
    if (this.witness) return true;
    const sizes = this.sizes;
    let low = 0;
    let high = sizes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sizes[middle] <= from) low = middle + 1;
      else high = middle;
    }
    return low < sizes.length && sizes[low] < to;
  }

  /**
   * Adds `count` leaves, in order and hashed elsewhere, as the perfect subtrees that cover
   * them (biggest first, 32 bytes each). The replay must be at a multiple of the biggest
   * one, and needsEachLeaf false for them.
   */
  addSubtrees(count: number, subtrees: Uint8Array): void {
    const end = this.count + count;
    if (this.broken || this.needsEachLeaf(this.count, end)) {
      throw new Error(`leaves ${this.count}..${end} cannot be added as subtrees`);
    }
    let at = subtrees.byteOffset;
    for (let level = 31 - Math.clz32(count); level >= 0; level--) {
      if (((count >>> level) & 1) === 0) continue;
      this.frontier.appendSubtree(level, Buffer.from(subtrees.buffer, at, HASH_SIZE));
      at += HASH_SIZE;
    }
    this.count = end;
    if (this.count === this.nextSize) this.checkReached();
  }

  /** The leaves cannot be read on: the reason is the problem, and nothing after it is checked. */
  abandon(problem: string): void {
    this.broken = true;
    this.problems.push(problem);
  }

  /** After the last leaf: every checkpoint bigger than the log says the log lost leaves. */
  finish(): void {
    for (; this.next < this.checkpoints.length; this.next++) {
      const checkpoint = this.checkpoints[this.next];
      this.problems.push(
        `the log has ${this.count} leaves but the ${describeCheckpoint(checkpoint.treeSize, checkpoint.signedAt)} ` +
          'says more: truncated',
      );
    }
  }

  private checkReached(): void {
    const size = BigInt(this.count);
    while (this.next < this.checkpoints.length && this.checkpoints[this.next].treeSize === size) {
      this.witness?.reached(this.frontier);
      this.compare(this.checkpoints[this.next++], this.frontier.root());
    }
    // A number to compare with on every leaf: BigInt arithmetic per leaf showed in profiles.
    const next = this.checkpoints[this.next];
    this.nextSize = next ? Number(next.treeSize) : -1;
  }

  /** Compares a checkpoint with a root the verifier computed or proved for its size. */
  compare(checkpoint: TrustedCheckpoint, root: Hash): void {
    if (root.equals(checkpoint.rootHash)) {
      this.matched.push(checkpoint);
      this.lastMatching = checkpoint;
      return;
    }
    const from = this.lastMatching?.treeSize ?? 0n;
    const since = this.lastMatching
      ? `last matching checkpoint at ${from}`
      : 'no earlier checkpoint matched';
    this.problems.push(
      `${describeCheckpoint(checkpoint.treeSize, checkpoint.signedAt)}: root differs from the ` +
        `leaves ${from}..${checkpoint.treeSize} (${since}): a leaf in that range was changed, ` +
        'removed or reordered',
    );
  }
}
