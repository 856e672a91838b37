import { CompletedSubtree, PerfectSubtrees } from './perfect-subtrees';
import { ProofError } from './proof-error';
import { perfectSubtreesCovering, popCount } from './tree-bits';
import { EMPTY_TREE_ROOT, Hash, HASH_SIZE, nodeHash } from './tree-hashes';

/**
 * The compact range of a tree of `size` leaves: one perfect-subtree hash per set bit of
 * size, biggest subtree first. O(log n) state, enough to append leaves and compute the root.
 */
export class TreeFrontier {
  // The size stays a BigInt even in append, called once per event: without hashing, an
  // append's bookkeeping measured 110-180 ns with a BigInt counter and 120-150 ns with a
  // Number one (which must still make BigInt indices for the subtrees it returns), next
  // to about 3 µs for the one node hash an append costs on average. Not worth two paths.
  private constructor(
    private count: bigint,
    private readonly stack: Hash[],
  ) {}

  static empty(): TreeFrontier {
    return new TreeFrontier(0n, []);
  }

  /** hashes: biggest subtree first, as `hashes` returns them. */
  static restore(size: bigint, hashes: readonly Hash[]): TreeFrontier {
    if (size < 0n) throw new ProofError(`tree size ${size} is negative`);
    const expected = popCount(size);
    if (hashes.length !== expected) {
      throw new ProofError(
        `a tree of size ${size} has ${expected} perfect subtrees in its frontier, got ${hashes.length} hashes`,
      );
    }
    const wrong = hashes.findIndex((hash) => hash.length !== HASH_SIZE);
    if (wrong >= 0) {
      throw new ProofError(
        `frontier hash ${wrong} has ${hashes[wrong].length} bytes, not ${HASH_SIZE}`,
      );
    }
    return new TreeFrontier(size, [...hashes]);
  }

  /** Reads the log n stored hashes of the perfect subtrees covering [0, size). */
  static fromSubtrees(nodes: PerfectSubtrees, size: bigint): TreeFrontier {
    if (size < 0n) throw new ProofError(`tree size ${size} is negative`);
    const hashes = perfectSubtreesCovering(0n, size).map(({ level, index }) =>
      nodes.hashAt(level, index),
    );
    return new TreeFrontier(size, hashes);
  }

  get size(): bigint {
    return this.count;
  }

  get hashes(): readonly Hash[] {
    return this.stack.slice();
  }

  /**
   * Adds one leaf hash; returns every perfect subtree it completes: the leaf itself at
   * level 0 first, then upward. Each set low bit of the old size is a subtree of that
   * level waiting for a right sibling of the same size, which this leaf completes.
   */
  append(leafHash: Hash): CompletedSubtree[] {
    if (leafHash.length !== HASH_SIZE) {
      throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes, got ${leafHash.length}`);
    }
    const leafIndex = this.count;
    const completed: CompletedSubtree[] = [{ level: 0, index: leafIndex, hash: leafHash }];
    let hash = leafHash;
    let level = 0;
    for (let index = leafIndex; index & 1n;) {
      hash = nodeHash(this.stack.pop()!, hash);
      index >>= 1n;
      level++;
      completed.push({ level, index, hash });
    }
    this.stack.push(hash);
    this.count = leafIndex + 1n;
    return completed;
  }

  /**
   * Adds the hash of a perfect subtree of 2^level leaves, computed elsewhere (a verifier's
   * worker thread): the tree is then as if its leaves had been appended one by one. It must
   * start on a multiple of its own size. Level 0 is a leaf, without `append`'s list of the
   * completed subtrees.
   */
  appendSubtree(level: number, hash: Hash): void {
    if (hash.length !== HASH_SIZE) {
      throw new RangeError(`a subtree hash has ${HASH_SIZE} bytes, got ${hash.length}`);
    }
    const width = 1n << BigInt(level);
    if (this.count % width !== 0n) {
      throw new ProofError(`a subtree of ${width} leaves cannot start at leaf ${this.count}`);
    }
    let node = hash;
    for (let index = this.count >> BigInt(level); index & 1n; index >>= 1n) {
      node = nodeHash(this.stack.pop()!, node);
    }
    this.stack.push(node);
    this.count += width;
  }

  /** RFC 9162 2.1.1 MTH of the whole tree: the frontier folded from its smallest subtree up. */
  root(): Hash {
    if (this.stack.length === 0) return EMPTY_TREE_ROOT;
    let root = this.stack[this.stack.length - 1];
    for (let i = this.stack.length - 2; i >= 0; i--) root = nodeHash(this.stack[i], root);
    return root;
  }
}
