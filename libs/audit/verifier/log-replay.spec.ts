import { TreeFrontier } from '../merkle';
import { sampleLeafHashes } from '../merkle/testing/stored-tree';
import { LogReplay } from './log-replay';
import type { TrustedCheckpoint } from './trusted-checkpoints';

const hashes = sampleLeafHashes(40);

function rootAt(size: number): Buffer {
  const frontier = TreeFrontier.empty();
  hashes.slice(0, size).forEach((hash) => frontier.append(hash));
  return frontier.root();
}

function checkpointAt(size: number): TrustedCheckpoint {
  const at = BigInt(size);
  const signedAt = `t${size}`;
  return {
    origin: 'o',
    treeSize: at,
    rootHash: rootAt(size),
    signedAt,
    eventId: '',
    leafIndex: null,
    note: '',
  };
}

/** The perfect subtrees of leaves [from, from + count), as a hashing thread packs them. */
function subtrees(from: number, count: number): Uint8Array {
  const frontier = TreeFrontier.empty();
  hashes.slice(from, from + count).forEach((hash) => frontier.append(hash));
  return Buffer.concat(frontier.hashes);
}

describe('LogReplay, leaves added as subtrees', () => {
  it('reaches the same roots as leaf by leaf, checkpoints at chunk ends matched', () => {
    const replay = new LogReplay([checkpointAt(16), checkpointAt(37)]);
    replay.addSubtrees(8, subtrees(0, 8));
    replay.addSubtrees(8, subtrees(8, 8));
    expect(replay.matched.map((c) => c.treeSize)).toEqual([16n]);
    replay.addSubtrees(16, subtrees(16, 16));
    // 5 leaves: the subtrees of 4 and 1 leaves.
    replay.addSubtrees(5, subtrees(32, 5));
    expect(replay.size).toBe(37);
    expect(replay.root()).toEqual(rootAt(37));
    expect(replay.matched.map((c) => c.treeSize)).toEqual([16n, 37n]);
    expect(replay.problems).toEqual([]);
  });

  it('wants the leaves one by one where a checkpoint falls inside, and refuses subtrees there', () => {
    const replay = new LogReplay([checkpointAt(12)]);
    expect(replay.needsEachLeaf(0, 8)).toBe(false);
    expect(replay.needsEachLeaf(8, 16)).toBe(true);
    expect(replay.needsEachLeaf(4, 12)).toBe(false);
    expect(replay.needsEachLeaf(12, 16)).toBe(false);
    replay.addSubtrees(8, subtrees(0, 8));
    expect(() => replay.addSubtrees(8, subtrees(8, 8))).toThrow(
      'leaves 8..16 cannot be added as subtrees',
    );
    hashes.slice(8, 16).forEach((hash, i) => replay.addHashed(8 + i, '', hash));
    expect(replay.matched.map((c) => c.treeSize)).toEqual([12n]);
  });

  it('wants every leaf when a witness watches them', () => {
    const witness = { leaf: () => undefined, completed: () => undefined, reached: () => undefined };
    expect(new LogReplay([], witness).needsEachLeaf(0, 8)).toBe(true);
  });
});
