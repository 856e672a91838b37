import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAuditBundle } from '../../../bench/support/audit-bundle';
import { verifyBundle } from './verify-bundle';

/**
 * The bundle reader's fast path (the exporter's exact spelling, cut at fixed markers) and its
 * JSON.parse fallback must agree on every leaf: same root, same checks, same messages.
 */
describe('verifyBundle', () => {
  let dir: string;
  let bundle: string;
  let verifierKey: string;
  let leavesFile: string;
  let original: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-bundle-'));
    bundle = join(dir, 'bundle');
    // ~2.4 MB of lines: several 1 MB reads, so lines are cut at chunk edges.
    ({ verifierKey } = await writeAuditBundle(bundle, 3000, 1000, 100));
    leavesFile = join(bundle, 'leaves.ndjson');
    original = readFileSync(leavesFile, 'utf8');
  });
  afterEach(() => writeFileSync(leavesFile, original));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = () => verifyBundle(bundle, { verifierKey, inclusion: [] });
  const rootLine = (lines: string[]) => lines.find((l) => l.startsWith('root of all'));

  it('verifies the exporter spelling, every checkpoint at its size', async () => {
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.lines[0]).toBe('leaves: 3002 (indices 0..3001 in order)');
    expect(report.lines[1]).toMatch(/^checkpoints: 3 of 3 /);
  });

  it('reads any other spelling of the same lines through JSON.parse, to the same root', async () => {
    const clean = await verify();
    const respelled = original
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const { index, eventId, leaf } = JSON.parse(line);
        return JSON.stringify({ leaf, eventId, index }, null, 0).replace('{', '{ ');
      });
    // The last line without its newline, too.
    writeFileSync(leavesFile, respelled.join('\n'));
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(rootLine(report.lines)).toBe(rootLine(clean.lines));
  });

  it('takes an index spelled with a leading zero for what it is: not the expected one', async () => {
    writeFileSync(leavesFile, original.replace('{"index":"1",', '{"index":"01",'));
    const report = await verify();
    expect(report.problems).toEqual([
      'leaf 01: index out of order (leaf 1 was expected here): a leaf was removed, added or moved',
    ]);
  });

  it('fails a bundle whose checkpoints were all removed: nothing is vouched for', async () => {
    const file = join(bundle, 'checkpoints.ndjson');
    const checkpoints = readFileSync(file, 'utf8');
    writeFileSync(file, '');
    try {
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toContain(
        'no checkpoint signed by the trusted key matches the leaves: nothing here is vouched for',
      );
    } finally {
      writeFileSync(file, checkpoints);
    }
  });

  it('names a line that is not a leaf', async () => {
    const lines = original.split('\n');
    lines[5] = '{"index":"5",';
    writeFileSync(leavesFile, lines.join('\n'));
    const report = await verify();
    expect(report.problems).toEqual(['leaves.ndjson line 6: not a JSON line']);
  });
});
