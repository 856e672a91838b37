import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_POLICY_FILE } from '../libs/policy';
import { run, type CliIo } from './cli';

function fakeIo(serve: CliIo['serve'] = async () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const started: (readonly string[])[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    serve: async (args) => {
      started.push(args);
      await serve(args);
    },
  };
  return { io, out, err, started };
}

describe('ledger (the command line)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('policy check FILE', () => {
    it('says ok, with the version, the number of purposes and the hash, and exits 0', async () => {
      const { io, out, err } = fakeIo();
      expect(await run(['policy', 'check', BUNDLED_POLICY_FILE], io)).toBe(0);
      expect(out).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${BUNDLED_POLICY_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ok \\(version 2023-01-24, 16 purposes, sha256 [0-9a-f]{64}\\)$`,
          ),
        ),
      ]);
      expect(err).toEqual([]);
    });

    it('prints every problem as FILE:LINE: reason and exits 1', async () => {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        [
          "version: '2'",
          "effectiveFrom: '2023-01-24T00:00:00Z'",
          'categories: { identification: Nom }',
          'purposes:',
          '  - id: marketing',
          '    text: Newsletters',
          '    records: [account]',
          '    legalBasis: [consent]',
          '    activeUntil: { clock: lastContact, plus: P3W }',
          '    thne: erase',
        ].join('\n'),
      );
      const { io, out } = fakeIo();
      expect(await run(['policy', 'check', bad], io)).toBe(1);
      expect(out).toEqual([
        `${bad}:5: purpose "marketing" has no "then"`,
        `${bad}:9: "plus" of "activeUntil" of purpose "marketing" must be a calendar duration PnYnMnD in whole non-negative numbers, such as P2Y, P14M or P30D (not "P3W")`,
        `${bad}:10: unknown key "thne" in purpose "marketing" (did you mean "then"?)`,
      ]);
    });

    it('checks several files; one bad file fails the run', async () => {
      const { io, out } = fakeIo();
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'version: [1,\n');
      expect(await run(['policy', 'check', BUNDLED_POLICY_FILE, broken], io)).toBe(1);
      expect(out[0]).toContain(': ok (');
      expect(out.slice(1).every((line) => line.startsWith(`${broken}:`))).toBe(true);
    });

    it('says a missing file cannot be read, and exits 1', async () => {
      const { io, err } = fakeIo();
      expect(await run(['policy', 'check', join(dir, 'nope.yaml')], io)).toBe(1);
      expect(err).toEqual([`${join(dir, 'nope.yaml')}: cannot be read (ENOENT)`]);
    });
  });

  describe('serve', () => {
    it('starts the server with its flags and exits 0 once it listens', async () => {
      const { io, started } = fakeIo();
      expect(await run(['serve', '--local'], io)).toBe(0);
      expect(await run(['serve'], io)).toBe(0);
      expect(started).toEqual([['--local'], []]);
    });

    it('reports a failed start with its code, and exits 1', async () => {
      const failing = Object.assign(new Error('LEDGER_MASTER_KEY is required'), {
        code: 'CONFIG.INVALID',
      });
      const { io, err } = fakeIo(async () => {
        throw failing;
      });
      expect(await run(['serve'], io)).toBe(1);
      expect(err).toEqual([
        'ledger failed to start (CONFIG.INVALID): LEDGER_MASTER_KEY is required',
      ]);
    });
  });

  it.each([[[]], [['frobnicate']], [['policy']], [['policy', 'check']], [['serve', '--port=3']]])(
    'prints the usage and exits 2 for %j',
    async (argv) => {
      const { io, out, err, started } = fakeIo();
      expect(await run(argv, io)).toBe(2);
      expect(err.join('\n')).toMatch(/^usage: ledger/);
      expect(out).toEqual([]);
      expect(started).toEqual([]);
    },
  );

  it('prints the usage on stdout for help, and exits 0', async () => {
    const { io, out } = fakeIo();
    expect(await run(['help'], io)).toBe(0);
    expect(out.join('\n')).toContain('policy check FILE');
  });
});
