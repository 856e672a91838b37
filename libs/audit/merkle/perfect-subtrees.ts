import { MissingSubtreeError, ProofError } from './proof-error';
import { Hash, HASH_SIZE } from './tree-hashes';

/**
 * Stored hashes of perfect subtrees: level L, index i covers leaves [i*2^L, (i+1)*2^L).
 * Level 0 = leaf hashes. hashAt is synchronous and throws (MissingSubtreeError) when the
 * hash is not stored.
 */
export interface PerfectSubtrees {
  hashAt(level: number, index: bigint): Hash;
}

export interface CompletedSubtree {
  level: number;
  index: bigint;
  hash: Hash;
}

/** Perfect-subtree hashes in memory, for tests and for a verifier that rebuilds a tree from its leaves. */
export class MemoryPerfectSubtrees implements PerfectSubtrees {
  // Keyed by BigInt so that sparse indices past 2^53 (synthetic trees in tests) work too.
  private readonly levels: Map<bigint, Hash>[] = [];

  put(nodes: readonly CompletedSubtree[]): void {
    for (const node of nodes) {
      if (node.hash.length !== HASH_SIZE) {
        throw new ProofError(
          `the hash of the subtree at level ${node.level}, index ${node.index} has ${node.hash.length} bytes, not ${HASH_SIZE}`,
        );
      }
      if (!Number.isInteger(node.level) || node.level < 0 || node.index < 0n) {
        throw new ProofError(`no subtree at level ${node.level}, index ${node.index}`);
      }
      (this.levels[node.level] ??= new Map()).set(node.index, node.hash);
    }
  }

  hashAt(level: number, index: bigint): Hash {
    const hash = this.levels[level]?.get(index);
    if (hash === undefined) throw new MissingSubtreeError(level, index);
    return hash;
  }
}
