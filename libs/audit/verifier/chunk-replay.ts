import { HASH_SIZE } from '../merkle/tree-hashes';
import { BUNDLE_FILES, type CheckpointLine } from './bundle-format';
import type { HashedLeafChunk } from './leaf-chunk';
import type { ChunkWants } from './leaf-hashing';
import type { LogReplay } from './log-replay';

/**
 * Takes the hashed chunks of leaves.ndjson in order: checks each CheckpointSigned leaf
 * against checkpoints.ndjson (and each listed one against its leaf), then hands the leaves
 * to the replay, as subtrees or one by one. Every problem is the one, in the order, that
 * reading the leaves one by one on a single thread finds.
 */
export class ChunkReplay {
  /** The positions checkpoints.ndjson names, ascending. */
  private readonly listedAt: number[];
  private nextListed = 0;

  constructor(
    private readonly listed: ReadonlyMap<number, CheckpointLine>,
    private readonly replay: LogReplay,
    private readonly problems: string[],
    private readonly chunkLeaves: number,
  ) {
    this.listedAt = [...listed.keys()].filter((at) => Number.isInteger(at)).sort((a, b) => a - b);
  }

  wants(position: number): ChunkWants {
    const each = this.replay.needsEachLeaf(position, position + this.chunkLeaves);
    return { leafHashes: each, eventIds: each };
  }

  /** False when the leaves stopped making sense: read no further. */
  add(chunk: HashedLeafChunk): boolean {
    const end = chunk.position + chunk.count;
    const found = chunk.checkpoints;
    let f = 0;
    while (this.listedAt[this.nextListed] < chunk.position) this.nextListed++;
    for (;;) {
      const nextFound = f < found.length && found[f].at < end ? found[f].at : Infinity;
      const listedAt = this.listedAt[this.nextListed];
      const nextListed = listedAt < end ? listedAt : Infinity;
      const at = Math.min(nextFound, nextListed);
      if (at === Infinity) break;
      const inLeaf = at === nextFound ? found[f++].line : undefined;
      if (at === nextListed) this.nextListed++;
      this.check(at, inLeaf);
    }

    if (chunk.leafHashes) {
      for (let i = 0; i < chunk.count; i++) {
        const hash = Buffer.from(
          chunk.leafHashes.buffer,
          chunk.leafHashes.byteOffset + i * HASH_SIZE,
          HASH_SIZE,
        );
        this.replay.addHashed(chunk.position + i, chunk.eventIds?.[i] ?? '', hash);
      }
    } else this.replay.addSubtrees(chunk.count, chunk.subtrees);

    const stop = chunk.stop;
    if (!stop) return true;
    if (stop.kind === 'malformed') {
      this.replay.abandon(`${BUNDLE_FILES.leaves} line ${stop.line}: ${stop.reason}`);
      return false;
    }
    const inLeaf = found[f]?.at === end ? found[f].line : undefined;
    this.check(stop.index, inLeaf);
    this.replay.addHashed(stop.index, stop.eventId, Buffer.from(stop.hash));
    return false;
  }

  /** The leaf whose line says `index` holds the checkpoint `inLeaf`, or none. */
  private check(index: number | string, inLeaf: CheckpointLine | undefined): void {
    const expected = this.listed.get(Number(index));
    if (inLeaf && (!expected || expected.note !== inLeaf.note)) {
      this.problems.push(
        `leaf ${index}: a CheckpointSigned event whose note ${BUNDLE_FILES.checkpoints} does not list as is: a checkpoint was replaced or removed`,
      );
    } else if (!inLeaf && expected) {
      this.problems.push(
        `leaf ${index}: ${BUNDLE_FILES.checkpoints} says checkpoint ${expected.eventId} is here, the leaf is another event`,
      );
    }
  }
}
