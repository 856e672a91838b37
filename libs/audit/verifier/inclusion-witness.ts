import {
  inclusionProof,
  MemoryPerfectSubtrees,
  verifyInclusion,
  type CompletedSubtree,
  type Hash,
  type TreeFrontier,
} from '../merkle';
import { perfectSubtreesCovering } from '../merkle/tree-bits';
import type { ReplayWitness } from './log-replay';
import type { TrustedCheckpoint } from './trusted-checkpoints';

export interface FoundLeaf {
  readonly index: bigint;
  readonly hash: Hash;
}

/**
 * Keeps, while the leaves stream by, just the hashes the inclusion proofs of a few events
 * need: the frontier when each event's leaf arrives (its left siblings), the perfect
 * subtrees completed later that are siblings of its ancestors, and the frontier at each
 * checkpoint size (the ragged right border). A few dozen hashes per event, never the tree.
 */
export class InclusionWitness implements ReplayWitness {
  private readonly found = new Map<string, FoundLeaf>();
  private readonly indices: bigint[] = [];
  private readonly nodes = new MemoryPerfectSubtrees();

  constructor(
    private readonly eventIds: ReadonlySet<string>,
    /** Live, the ledger sends the proofs: only the leaves' places and hashes are kept. */
    private readonly keepNodes: boolean,
  ) {}

  leaf(at: number, eventId: string, hash: Hash, frontier: TreeFrontier): void {
    if (!this.eventIds.has(eventId) || this.found.has(eventId)) return;
    const index = BigInt(at);
    this.found.set(eventId, { index, hash });
    if (!this.keepNodes) return;
    this.indices.push(index);
    this.keepFrontier(frontier);
  }

  completed(nodes: readonly CompletedSubtree[]): void {
    if (this.indices.length === 0) return;
    for (const node of nodes) {
      const level = BigInt(node.level);
      if (this.indices.some((index) => node.index === ((index >> level) ^ 1n))) {
        this.nodes.put([node]);
      }
    }
  }

  reached(frontier: TreeFrontier): void {
    if (this.indices.length > 0) this.keepFrontier(frontier);
  }

  leafOf(eventId: string): FoundLeaf | undefined {
    return this.found.get(eventId);
  }

  /** The proof computed from the kept hashes, checked against the checkpoint's signed root. */
  check(eventId: string, checkpoint: TrustedCheckpoint): string | undefined {
    const leaf = this.found.get(eventId);
    if (!leaf) return undefined;
    const proof = inclusionProof(this.nodes, leaf.index, checkpoint.treeSize);
    return verifyInclusion(leaf.index, checkpoint.treeSize, leaf.hash, proof, checkpoint.rootHash)
      ? undefined
      : `event ${eventId} (leaf ${leaf.index}): its inclusion proof does not lead to the root of the checkpoint at size ${checkpoint.treeSize}`;
  }

  private keepFrontier(frontier: TreeFrontier): void {
    const hashes = frontier.hashes;
    perfectSubtreesCovering(0n, frontier.size).forEach(({ level, index }, i) =>
      this.nodes.put([{ level, index, hash: hashes[i] }]),
    );
  }
}
