import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The launcher bin/ledger-server as it is, beside a stand-in for the built server that prints
 * the node flags and arguments it was started with.
 */
function launch(env: Record<string, string>): { status: number | null; out: string; err: string } {
  const root = mkdtempSync(join(tmpdir(), 'ledger-launcher-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  copyFileSync(
    join(__dirname, '..', '..', 'bin', 'ledger-server'),
    join(root, 'bin', 'ledger-server'),
  );
  writeFileSync(
    join(root, 'dist', 'src', 'main.js'),
    'process.stdout.write(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2), arenas: process.env.MALLOC_ARENA_MAX }));',
  );
  const { PATH } = process.env;
  const run = spawnSync('sh', [join(root, 'bin', 'ledger-server'), '--local'], {
    env: { PATH, ...env },
    encoding: 'utf8',
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('the launcher bin/ledger-server', () => {
  it('starts the server with its arguments and two malloc arenas, no node flag by default', () => {
    const run = launch({});
    expect(run.status).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ execArgv: [], argv: ['--local'], arenas: '2' });
  });

  it('gives node --optimize-for-size for LEDGER_MEMORY=small', () => {
    const run = launch({ LEDGER_MEMORY: 'small' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      execArgv: ['--optimize-for-size'],
      argv: ['--local'],
    });
  });

  it('refuses an unknown memory mode without starting the server', () => {
    const run = launch({ LEDGER_MEMORY: 'tiny' });
    expect(run.status).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      'ledger failed to start (CONFIG.INVALID): LEDGER_MEMORY must be one of default, small\n',
    );
  });
});
