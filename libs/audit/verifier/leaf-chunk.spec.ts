import fc from 'fast-check';
import { leafHash, TreeFrontier } from '../merkle';
import { formatLeafLine } from './bundle-format';
import { hashLeafChunk } from './leaf-chunk';

const leaf = (i: number) => Buffer.from(`{"v":1,"n":${i},"pad":"${'x'.repeat(i % 97)}"}`);
const line = (index: number | string, bytes = leaf(Number(index))) =>
  formatLeafLine({ index: String(index), eventId: `e${index}`, leaf: bytes.toString('base64') });

describe('hashLeafChunk', () => {
  it('folds a chunk into the perfect subtrees a frontier of its leaves holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 130 }), (k, n) => {
        // A chunk of up to 128 leaves, at a position that is a multiple of 128.
        const position = k * 128;
        const count = Math.min(n, 128);
        const lines = Array.from({ length: count }, (_, i) => line(position + i)).join('');
        const hashed = hashLeafChunk({
          bytes: Buffer.from(lines),
          position,
          leafHashes: true,
          eventIds: true,
        });
        const frontier = TreeFrontier.empty();
        const hashes = Array.from({ length: count }, (_, i) => leafHash(leaf(position + i)));
        hashes.forEach((hash) => frontier.append(hash));
        expect(hashed.count).toBe(count);
        expect(Buffer.from(hashed.subtrees)).toEqual(Buffer.concat(frontier.hashes));
        expect(Buffer.from(hashed.leafHashes!)).toEqual(Buffer.concat(hashes));
        expect(hashed.eventIds).toEqual(hashes.map((_, i) => `e${position + i}`));
        expect(hashed.stop).toBeUndefined();
      }),
    );
  });

  it('hashes every leaf at its own length, before and after a leaf bigger than its scratch buffer', () => {
    // Leaves of a few lengths hashed in a scratch buffer that a 100 KB leaf then replaces:
    // a view of the old buffer kept for a length would hash stale bytes.
    const sized = (i: number, bytes: number) => Buffer.alloc(bytes, `leaf ${i};`);
    const lengths = [500, 507, 500, 100_000, 507, 500, 3, 507];
    const leaves = lengths.map((bytes, i) => sized(i, bytes));
    const lines = leaves.map((bytes, i) => line(i, bytes)).join('');
    for (const round of [1, 2]) {
      const hashed = hashLeafChunk({
        bytes: Buffer.from(lines),
        position: 0,
        leafHashes: true,
        eventIds: false,
      });
      expect([round, Buffer.from(hashed.leafHashes!)]).toEqual([
        round,
        Buffer.concat(leaves.map((bytes) => leafHash(bytes))),
      ]);
    }
  });

  it('stops at the first leaf out of order, with its hash and its index as spelled', () => {
    const lines = line(8) + line(9) + line(11, leaf(10)) + line(12);
    const hashed = hashLeafChunk({
      bytes: Buffer.from(lines),
      position: 8,
      leafHashes: false,
      eventIds: false,
    });
    expect(hashed.count).toBe(2);
    expect(hashed.leafHashes).toBeUndefined();
    expect(hashed.stop).toEqual({
      kind: 'out-of-order',
      index: 11,
      eventId: '',
      hash: leafHash(leaf(10)),
    });
  });

  it('stops at a line that is not a leaf, named by its line number in the file', () => {
    const hashed = hashLeafChunk({
      bytes: Buffer.from(`${line(16)}{"index":"17"}\n${line(18)}`),
      position: 16,
      leafHashes: false,
      eventIds: false,
    });
    expect(hashed.count).toBe(1);
    expect(hashed.stop).toEqual({
      kind: 'malformed',
      line: 18,
      reason: 'expected {"index","eventId","leaf"} with string values',
    });
  });

  it('finds the CheckpointSigned leaves, the stopping one too', () => {
    const checkpoint = (note: string) =>
      Buffer.from(JSON.stringify({ type: 'CheckpointSigned', recordedAt: 't', data: { note } }));
    const lines = line(4, checkpoint('a')) + line(5) + line(7, checkpoint('b'));
    const hashed = hashLeafChunk({
      bytes: Buffer.from(lines),
      position: 4,
      leafHashes: false,
      eventIds: false,
    });
    expect(hashed.checkpoints).toEqual([
      { at: 4, line: { leafIndex: '4', eventId: '', signedAt: 't', note: 'a' } },
      { at: 6, line: { leafIndex: '7', eventId: '', signedAt: 't', note: 'b' } },
    ]);
  });
});
