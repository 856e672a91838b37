import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../cli';

describe('ledger verify --certificate', () => {
  const folder = mkdtempSync(join(tmpdir(), 'verify-certificate-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const runCli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      serve: async () => undefined,
    });
    return { code, out, err };
  };

  it.each([
    [['verify'], 'give a bundle folder or --url URL (one of them)'],
    [['verify', '--certificate'], '--certificate needs a value'],
    [['verify', '--certificate', 'a.json', '--verifier-key'], '--verifier-key needs a value'],
    [['verify', '--certificate', 'a.json', '--key', 'k'], 'unknown option --key'],
  ])('exits 2 with the usage for %j', async (argv, problem) => {
    const { code, err } = await runCli(...argv);
    expect(code).toBe(2);
    expect(err[0]).toBe(`ledger verify: ${problem}`);
  });

  it('exits 1 for a file it cannot read or that is not a certificate', async () => {
    const missing = join(folder, 'missing.json');
    expect(await runCli('verify', '--certificate', missing)).toMatchObject({
      code: 1,
      err: [`${missing}: cannot be read (ENOENT)`],
    });
    const other = join(folder, 'other.json');
    writeFileSync(other, '{"format":"something-else"}');
    expect(await runCli('verify', '--certificate', other)).toMatchObject({
      code: 1,
      out: [
        `${other}: certificate: format "something-else" version undefined is not ledger-erasure-certificate version 1`,
        `${other}: NOT VALID, 1 problem(s)`,
      ],
    });
  });
});
