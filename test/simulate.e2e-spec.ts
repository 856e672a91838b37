import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type CliIo } from '../src/cli';
import { exited, killAllChildren, REPO_ROOT, spawnTypeScript } from './support/typescript-process';

const SAMPLE = join(REPO_ROOT, 'docs', 'examples', 'history.ndjson');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    serve: () => Promise.reject(new Error('not in this test')),
  };
  return { io, out, err };
}

/**
 * `ledger simulate`: the sample history replayed to 2035 on a simulated clock, in a scratch
 * store; a bad history is refused with each problem's line, before anything runs.
 */
describe('ledger simulate', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-simulate-test-'))));
  afterAll(async () => {
    await killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints what the saga does day by day, then a summary per purpose; touches no data folder', async () => {
    const dataDir = join(dir, 'live-data');
    const child = spawnTypeScript(
      join(REPO_ROOT, 'src', 'cli.ts'),
      ['simulate', '--events', SAMPLE, '--until', '2035-01-01'],
      { env: { LEDGER_DATA_DIR: dataDir, LEDGER_STORE: 'sqlite' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'simulating 16 event(s) until 2035-01-01T00:00:00.000Z under policy 2023-01-24, in a scratch memory store',
    );
    // The restriction holds the visit's erasure; its lifting lets the next sweep erase it.
    expect(lines).toContain(
      '2026-03-16  erasure deferred   visitor-cleo  visits:2025-01/navigation  statistics  (reason: restriction)',
    );
    expect(lines).toContain(
      '2026-06-02  erased             visitor-cleo  visits:2025-01/navigation  statistics  (due 2026-03-15)',
    );
    expect(lines).toContain(
      '2029-10-03  renewal requested  member-ana  account/identification  matchmaking  (answer by 2029-11-02)',
    );
    // Day by day: the diary is in date order.
    const days = lines.filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l)).map((l) => l.slice(0, 10));
    expect(days).toEqual([...days].sort());
    expect(days.length).toBeGreaterThan(5);
    expect(lines).toContain('16 event(s) replayed; 12 fact(s) written by the saga');
    expect(lines.at(-1)).toMatch(/^total \(facts\) +4 +5 +2 +1$/);
    expect(lines).toContainEqual(expect.stringMatching(/^statistics +0 +1 +0 +1$/));
    // The configured data folder was never created, let alone written.
    expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
  }, 120_000);

  it('refuses a bad history with every problem and its line, exit 1', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(
      file,
      [
        '# a comment',
        '{"eventId":"8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10","type":"VisitRecorded","subjectId":"u1","occurredAt":"2025-01-01T00:00:00Z","source":"web","data":{}}',
        '{"eventId": not json',
        '',
        '{"eventId":"8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d11","type":"NoSuchType","subjectId":"u1","occurredAt":"2025-01-01T00:00:00Z","source":"web","data":{}}',
        '{"eventId":"8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10","type":"VisitRecorded","subjectId":"u1","occurredAt":"2025-01-02T00:00:00Z","source":"web","data":{}}',
      ].join('\n'),
    );
    const { io, out, err } = capture();
    expect(await run(['simulate', '--events', file, '--until', '2030-01-01'], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `${file}:3: not valid JSON`,
      expect.stringMatching(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: type: `),
      ),
      `${file}:6: eventId: already used on line 2`,
    ]);
  });

  it('says what is wrong with the command line, exit 2; an unreadable file, exit 1', async () => {
    const usage = async (args: string[], message: string) => {
      const { io, err } = capture();
      expect(await run(['simulate', ...args], io)).toBe(2);
      expect(err[0]).toBe(`ledger simulate: ${message}`);
    };
    await usage(['--until', '2035-01-01'], '--events FILE.ndjson is required');
    await usage(
      ['--events', SAMPLE],
      '--until DATE is required (2035-01-01 or 2035-01-01T00:00:00Z)',
    );
    await usage(
      ['--events', SAMPLE, '--until', '2035-02-30'],
      '--until must be a date (2035-01-01) or a UTC instant (2035-01-01T00:00:00Z)',
    );
    await usage(
      ['--events', SAMPLE, '--until', '2035-01-01', '--data', 'x'],
      'unknown argument --data',
    );

    const { io, err } = capture();
    const missing = join(dir, 'missing.ndjson');
    expect(await run(['simulate', '--events', missing, '--until', '2035-01-01'], io)).toBe(1);
    expect(err).toEqual([`${missing}: cannot be read (ENOENT)`]);
  });
});
