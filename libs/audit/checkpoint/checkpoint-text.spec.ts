import { createHash } from 'node:crypto';
import { CheckpointFormatError } from './checkpoint.errors';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint-text';
import { c2spExamples, goTlogNoteTest } from './testing/published-vectors';

const leafHash = (text: string) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from([0]), Buffer.from(text)]))
    .digest();

const ROOT = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';

function parseFailure(body: string): CheckpointFormatError {
  try {
    parseCheckpoint(body);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointFormatError);
    return error as CheckpointFormatError;
  }
  throw new Error(`parsed: ${JSON.stringify(body)}`);
}

describe('checkpoint text (C2SP tlog-checkpoint)', () => {
  describe('published vectors', () => {
    it('formats the Go sumdb tree head exactly (golang/mod sumdb/tlog TestFormatTree)', () => {
      const checkpoint: Checkpoint = {
        origin: 'go.sum database tree',
        treeSize: goTlogNoteTest.treeSize,
        rootHash: leafHash(goTlogNoteTest.rootLeaf),
      };
      expect(formatCheckpoint(checkpoint)).toBe(goTlogNoteTest.tree);
    });

    it('parses it back (TestParseTree)', () => {
      expect(parseCheckpoint(goTlogNoteTest.tree)).toEqual({
        origin: 'go.sum database tree',
        treeSize: goTlogNoteTest.treeSize,
        rootHash: leafHash(goTlogNoteTest.rootLeaf),
      });
    });

    it.each(goTlogNoteTest.badTrees)('rejects the bad trees of TestParseTree: %j', (bad) => {
      parseFailure(bad);
    });

    it('parses the body of the C2SP example checkpoint', () => {
      const body = c2spExamples.checkpoint.slice(0, c2spExamples.checkpoint.indexOf('\n\n') + 1);
      const checkpoint = parseCheckpoint(body);
      expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
      expect(checkpoint.treeSize).toBe(20852163n);
      expect(checkpoint.rootHash.toString('base64')).toBe(
        'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=',
      );
      expect(formatCheckpoint(checkpoint)).toBe(body);
    });
  });

  it('round-trips extension lines, the empty tree and the largest uint64', () => {
    const checkpoints: Checkpoint[] = [
      { origin: 'ledger.example/audit', treeSize: 0n, rootHash: leafHash('') },
      {
        origin: 'ledger.example/audit',
        treeSize: 2n ** 64n - 1n,
        rootHash: leafHash('x'),
        extensions: ['first extension', 'second'],
      },
    ];
    for (const checkpoint of checkpoints) {
      expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
    }
    expect(formatCheckpoint(checkpoints[1])).toMatch(/\nfirst extension\nsecond\n$/);
  });

  describe('parse errors name the line and the reason', () => {
    it.each([
      ['no final newline', `o\n1\n${ROOT}`, undefined, /must end with a newline/],
      ['an empty origin', `\n1\n${ROOT}\n`, 1, /origin is empty/],
      ['no size line', 'o\n', 2, /tree size line is missing/],
      ['no root line', 'o\n1\n', 3, /root hash line is missing/],
      ['a hexadecimal size', `o\n0x1f\n${ROOT}\n`, 2, /decimal number/],
      ['a negative size', `o\n-1\n${ROOT}\n`, 2, /decimal number/],
      ['a size with a leading zero', `o\n007\n${ROOT}\n`, 2, /without leading zeroes/],
      ['a size with a plus sign', `o\n+7\n${ROOT}\n`, 2, /decimal number/],
      ['a size with spaces', `o\n 7\n${ROOT}\n`, 2, /decimal number/],
      ['a size beyond uint64', `o\n18446744073709551616\n${ROOT}\n`, 2, /not a uint64/],
      [
        'a root of 31 bytes',
        `o\n1\n${Buffer.alloc(31).toString('base64')}\n`,
        3,
        /32 bytes, got 31/,
      ],
      [
        'a root of 33 bytes',
        `o\n1\n${Buffer.alloc(33).toString('base64')}\n`,
        3,
        /32 bytes, got 33/,
      ],
      ['a root that is not base64', 'o\n1\nnot base64!\n', 3, /not canonical base64/],
      ['a root without padding', `o\n1\n${ROOT.slice(0, -1)}\n`, 3, /not canonical base64/],
      ['an empty extension line', `o\n1\n${ROOT}\next\n\n`, 5, /extension line is empty/],
      ['a carriage return', `o\r\n1\n${ROOT}\n`, 1, /control character/],
    ])('%s', (_case, body, line, reason) => {
      const error = parseFailure(body);
      expect(error.line).toBe(line);
      expect(error.message).toMatch(reason);
      expect(error.code).toBe('CHECKPOINT.MALFORMED');
    });
  });

  it('refuses to format what it could not parse', () => {
    const root = leafHash('x');
    expect(() => formatCheckpoint({ origin: '', treeSize: 1n, rootHash: root })).toThrow(
      /origin is empty/,
    );
    expect(() => formatCheckpoint({ origin: 'a\nb', treeSize: 1n, rootHash: root })).toThrow(
      /origin contains a newline/,
    );
    expect(() => formatCheckpoint({ origin: 'o', treeSize: -1n, rootHash: root })).toThrow(
      /not a uint64/,
    );
    expect(() =>
      formatCheckpoint({ origin: 'o', treeSize: 1n, rootHash: root.subarray(1) }),
    ).toThrow(/32 bytes, got 31/);
    expect(() =>
      formatCheckpoint({ origin: 'o', treeSize: 1n, rootHash: root, extensions: [''] }),
    ).toThrow(/line 4: extension line is empty/);
  });
});
