import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAuditBundle } from '../../../bench/support/audit-bundle';
import type { LeafHashing } from './leaf-hashing';
import { verifyBundle } from './verify-bundle';
import type { VerifyReport } from './verify-report';

// On this thread alone or with worker threads, in chunks of 8 and 64 leaves (the checkpoints at
// sizes 1000 and 2001 fall inside a chunk, the one at 3002 past the last leaf) and of 4096
// (the whole bundle in one chunk).
const HASHINGS: LeafHashing[] = [
  { threads: 0, chunkLeaves: 4096 },
  { threads: 0, chunkLeaves: 8 },
  { threads: 2, chunkLeaves: 64 },
  { threads: 1, chunkLeaves: 8 },
];
// Worker threads compile the TypeScript sources on start under jest: about a second each.
jest.setTimeout(60_000);

/**
 * The bundle's leaves hashed in chunks, on worker threads or not, folded as subtrees: every
 * way must give the same report, word for word, whatever was done to the leaves.
 */
describe('verifyBundle, leaves hashed in chunks', () => {
  let dir: string;
  let bundle: string;
  let verifierKey: string;
  let leavesFile: string;
  let original: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-threads-'));
    bundle = join(dir, 'bundle');
    // 3002 leaves: checkpoints at sizes 1000 and 2001 recorded as leaves 1000 and 2001, and
    // the latest at 3002, past the bundle's last leaf (as exported).
    ({ verifierKey } = await writeAuditBundle(bundle, 3000, 1000, 100));
    leavesFile = join(bundle, 'leaves.ndjson');
    original = readFileSync(leavesFile, 'utf8').split('\n').slice(0, -1);
  });
  afterEach(() => writeLeaves(original));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeLeaves = (lines: string[], end = '\n') =>
    writeFileSync(leavesFile, lines.join('\n') + end);
  const parsed = (i: number) => JSON.parse(original[i]) as Record<string, string>;

  /** The report of every way of hashing, checked equal; the time line left out. */
  async function verifyEveryWay(inclusion: string[] = []): Promise<VerifyReport> {
    const reports: VerifyReport[] = [];
    for (const hashing of HASHINGS) {
      const report = await verifyBundle(bundle, { verifierKey, inclusion }, hashing);
      reports.push({ ...report, lines: report.lines.filter((l) => !l.startsWith('time:')) });
    }
    reports.forEach((report, i) =>
      expect({ hashing: HASHINGS[i], report }).toEqual({
        hashing: HASHINGS[i],
        report: reports[0],
      }),
    );
    return reports[0];
  }

  it('verifies the clean bundle, with an inclusion proof', async () => {
    const eventId = parsed(1234).eventId;
    const report = await verifyEveryWay([eventId]);
    expect(report.problems).toEqual([]);
    expect(report.lines).toContain(
      "checkpoints: 3 of 3 signed by the trusted key and equal to the leaves' root at their size",
    );
    expect(report.lines).toContain(
      `included: event ${eventId} is leaf 1234 of the checkpoint at size 3002`,
    );
  });

  it('reads a last line without its newline', async () => {
    writeLeaves(original, '');
    expect((await verifyEveryWay()).problems).toEqual([]);
  });

  it('names a deleted leaf', async () => {
    writeLeaves(original.filter((_, i) => i !== 1500));
    expect((await verifyEveryWay()).problems).toEqual([
      'leaf 1501: index out of order (leaf 1500 was expected here): a leaf was removed, added or moved',
    ]);
  });

  it('names a deleted leaf at a chunk edge, and a deleted checkpoint leaf', async () => {
    writeLeaves(original.filter((_, i) => i !== 64));
    expect((await verifyEveryWay()).problems).toEqual([
      'leaf 65: index out of order (leaf 64 was expected here): a leaf was removed, added or moved',
    ]);
    writeLeaves(original.filter((_, i) => i !== 1000));
    expect((await verifyEveryWay()).problems).toEqual([
      'leaf 1001: index out of order (leaf 1000 was expected here): a leaf was removed, added or moved',
    ]);
  });

  it('names the checkpoint ranges of two swapped events', async () => {
    const lines = [...original];
    const [a, b] = [parsed(1500), parsed(1501)];
    lines[1500] = JSON.stringify({ index: a.index, eventId: b.eventId, leaf: b.leaf });
    lines[1501] = JSON.stringify({ index: b.index, eventId: a.eventId, leaf: a.leaf });
    writeLeaves(lines);
    const problems = (await verifyEveryWay()).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^checkpoint at size 2001 \(signed .*\): root differs from the leaves 1000\.\.2001 \(last matching checkpoint at 1000\)/,
    );
    expect(problems[1]).toMatch(
      /^checkpoint at size 3002 .*: root differs from the leaves 1000\.\.3002/,
    );
  });

  it('names a checkpoint leaf replaced by another event, and one the list does not have', async () => {
    const lines = [...original];
    const other = parsed(999);
    lines[1000] = JSON.stringify({ index: '1000', eventId: other.eventId, leaf: other.leaf });
    // Spelled otherwise, read through JSON.parse: the same checks.
    lines[1999] = JSON.stringify({ leaf: parsed(2001).leaf, index: '1999', eventId: 'x' });
    writeLeaves(lines);
    const listed = readFileSync(join(bundle, 'checkpoints.ndjson'), 'utf8').split('\n');
    const problems = (await verifyEveryWay()).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe(
      `leaf 1000: checkpoints.ndjson says checkpoint ${JSON.parse(listed[0]).eventId} is here, the leaf is another event`,
    );
    expect(problems[1]).toBe(
      'leaf 1999: a CheckpointSigned event whose note checkpoints.ndjson does not list as is: a checkpoint was replaced or removed',
    );
    expect(problems[2]).toMatch(
      /^checkpoint at size 2001 .*: root differs from the leaves 1000\.\.2001/,
    );
    expect(problems[3]).toMatch(/^checkpoint at size 3002 .*: root differs/);
  });

  it('names a truncated log, cut inside a chunk', async () => {
    writeLeaves(original.slice(0, 2100));
    expect((await verifyEveryWay()).problems).toEqual([
      expect.stringMatching(
        /^the log has 2100 leaves but the checkpoint at size 3002 .* says more: truncated$/,
      ),
    ]);
  });

  it('names a line that is not a leaf, at a chunk edge and inside one', async () => {
    for (const at of [63, 64, 100]) {
      const lines = [...original];
      lines[at] = '{"index":';
      writeLeaves(lines);
      expect((await verifyEveryWay()).problems).toEqual([
        `leaves.ndjson line ${at + 1}: not a JSON line`,
      ]);
    }
  });

  it('names an index spelled otherwise at a chunk start', async () => {
    const lines = [...original];
    lines[128] = lines[128].replace('{"index":"128",', '{"index":"0128",');
    writeLeaves(lines);
    expect((await verifyEveryWay()).problems).toEqual([
      'leaf 0128: index out of order (leaf 128 was expected here): a leaf was removed, added or moved',
    ]);
  });
});
