import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepSecretFile } from './local-secret-file';

describe('a secret kept in a local file', () => {
  const freshDir = () => mkdtempSync(join(tmpdir(), 'kept-secret-'));

  it('is generated once, mode 0600, and read back on the next start', () => {
    const dir = join(freshDir(), 'data');
    const first = keepSecretFile(dir, 'some.key', () => 'first-value');
    expect(first).toEqual({ value: 'first-value', created: true });
    expect(statSync(join(dir, 'some.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'some.key'), 'utf8')).toBe('first-value\n');

    const second = keepSecretFile(dir, 'some.key', () => 'second-value');
    expect(second).toEqual({ value: 'first-value', created: false });
  });

  it('when another process writes the file first, takes its value and leaves no temporary file', () => {
    const dir = freshDir();
    const file = join(dir, 'some.key');
    // The other process wins between our existence check and our link.
    const kept = keepSecretFile(dir, 'some.key', () => {
      writeFileSync(file, 'winner\n', { mode: 0o600 });
      return 'loser';
    });
    expect(kept).toEqual({ value: 'winner', created: false });
    expect(readFileSync(file, 'utf8')).toBe('winner\n');
    expect(readdirSync(dir)).toEqual(['some.key']);
  });
});
