import { comparePositions, type EventStore } from '../event-store';
import { consistencyProof, inclusionProof, leafHash, rootAt } from './merkle';
import type { SqliteAuditTree } from './tree-store/sqlite-audit-tree';

/** Most leaves one call returns. */
export const MAX_LEAVES = 1000;

/** A size or an index the tree cannot answer for: every problem, in the API's words. */
export class ProofRangeError extends Error {
  readonly code = 'AUDIT.OUT_OF_RANGE';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export class UnknownEventError extends Error {
  readonly code = 'AUDIT.UNKNOWN_EVENT';
  constructor() {
    super('eventId: no stored event has this id');
  }
}

/** The event is stored but the tree has not taken it yet (it is catching up). */
export class TreeBehindError extends Error {
  readonly code = 'AUDIT.TREE_BEHIND';
  constructor() {
    super('the audit tree is catching up with the log; ask again shortly');
  }
}

export interface InclusionProofView {
  readonly eventId: string;
  readonly leafIndex: string;
  readonly treeSize: string;
  readonly leafHash: string;
  /** The root the proof leads to: compare it with a signed checkpoint of that size. */
  readonly rootHash: string;
  readonly hashes: string[];
}

export interface ConsistencyProofView {
  readonly from: string;
  readonly to: string;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly hashes: string[];
}

export interface LeafView {
  readonly index: string;
  readonly eventId: string;
  /** base64 of the stored bytes: ciphertext where the event held personal data. */
  readonly leaf: string;
}

const b64 = (hash: Buffer) => hash.toString('base64');

/**
 * What an auditor asks of the tree, in the API's shapes. Sizes and indices are BigInt in,
 * decimal strings out: JSON numbers stop being exact at 2^53.
 */
export class AuditProofs {
  constructor(
    private readonly store: EventStore,
    private readonly tree: SqliteAuditTree,
  ) {}

  size(): bigint {
    return this.tree.size();
  }

  /** `treeSize` absent: the tree as it stands. */
  async inclusion(eventId: string, treeSize?: bigint): Promise<InclusionProofView> {
    const stored = (await this.store.findByEventIds([eventId])).get(eventId);
    if (!stored) throw new UnknownEventError();
    const current = this.tree.size();
    const leafIndex = this.tree.leafIndexAt(stored.position);
    if (leafIndex === undefined) throw new TreeBehindError();
    const size = treeSize ?? current;
    if (size > current) {
      throw new ProofRangeError([`treeSize: ${size} is beyond the tree's size, ${current}`]);
    }
    if (leafIndex >= size) {
      throw new ProofRangeError([
        `treeSize: the event is leaf ${leafIndex}, so it is in no tree smaller than ${leafIndex + 1n}`,
      ]);
    }
    return {
      eventId,
      leafIndex: leafIndex.toString(),
      treeSize: size.toString(),
      leafHash: b64(leafHash(stored.data)),
      rootHash: b64(rootAt(this.tree, size)),
      hashes: inclusionProof(this.tree, leafIndex, size).map(b64),
    };
  }

  consistency(from: bigint, to: bigint): ConsistencyProofView {
    const current = this.tree.size();
    const problems: string[] = [];
    if (to > current) problems.push(`to: ${to} is beyond the tree's size, ${current}`);
    if (from > to) problems.push(`from: ${from} is larger than to (${to})`);
    if (problems.length > 0) throw new ProofRangeError(problems);
    return {
      from: from.toString(),
      to: to.toString(),
      fromRoot: b64(rootAt(this.tree, from)),
      toRoot: b64(rootAt(this.tree, to)),
      hashes: consistencyProof(this.tree, from, to).map(b64),
    };
  }

  /** Leaves `start` to `end` (exclusive), as stored. */
  async leaves(start: bigint, end: bigint): Promise<LeafView[]> {
    const current = this.tree.size();
    const problems: string[] = [];
    if (end > current) problems.push(`end: ${end} is beyond the tree's size, ${current}`);
    if (start > end) problems.push(`start: ${start} is larger than end (${end})`);
    if (end - start > BigInt(MAX_LEAVES)) {
      problems.push(`end: at most ${MAX_LEAVES} leaves at a time (end - start)`);
    }
    if (problems.length > 0) throw new ProofRangeError(problems);
    if (start === end) return [];
    const after = start === 0n ? undefined : this.tree.positionOfLeaf(start - 1n);
    const events = await this.store.readAll({ after, maxCount: Number(end - start) });
    return events.map((event, i) => {
      const index = start + BigInt(i);
      const expected = this.tree.positionOfLeaf(index);
      // The tree and the log must agree on which event each leaf is; if not, say so loudly.
      if (!expected || comparePositions(expected, event.position) !== 0) {
        throw new Error(`leaf ${index} is not the event the log holds at that place`);
      }
      return {
        index: index.toString(),
        eventId: event.eventId,
        leaf: b64(Buffer.from(event.data)),
      };
    });
  }
}
