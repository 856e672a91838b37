import { MemoryPerfectSubtrees } from '../perfect-subtrees';
import { Hash, leafHash } from '../tree-hashes';
import { TreeFrontier } from '../tree-frontier';

/** Distinct, reproducible leaf hashes for tests. */
export function sampleLeafHashes(count: number, label = 'leaf'): Hash[] {
  return Array.from({ length: count }, (_, i) => leafHash(Buffer.from(`${label} ${i}`)));
}

/** A tree built the way the log builds it: every perfect subtree an append completes is stored. */
export function storedTree(leafHashes: readonly Hash[]): {
  nodes: MemoryPerfectSubtrees;
  frontier: TreeFrontier;
} {
  const nodes = new MemoryPerfectSubtrees();
  const frontier = TreeFrontier.empty();
  for (const hash of leafHashes) nodes.put(frontier.append(hash));
  return { nodes, frontier };
}
