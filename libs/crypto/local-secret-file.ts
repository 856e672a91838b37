import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface KeptSecret {
  readonly value: string;
  /** True only for the process that wrote the file: the one that may show it, once. */
  readonly created: boolean;
}

/**
 * A secret generated once into `<dir>/<name>` (mode 0600) and read back on every later
 * start: local mode's API keys, master key and checkpoint signing key.
 *
 * Two processes starting together (the API and the worker) must end up with the same
 * secret. Each writes its candidate to a private temporary file (flag `wx`, mode 0600) and
 * hard-links it to the final name: the link fails with EEXIST if another process got there
 * first, and, unlike writing the final file in place, never lets a reader see it empty or
 * half written. The loser reads back the winner's secret.
 */
export function keepSecretFile(dir: string, name: string, generate: () => string): KeptSecret {
  const file = join(dir, name);
  if (existsSync(file)) return { value: readSecret(file), created: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = generate();
  const candidate = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(candidate, `${value}\n`, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(candidate, 0o600); // exactly 0600, whatever the umask
    linkSync(candidate, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readSecret(file), created: false };
  } finally {
    unlinkSync(candidate);
  }
  return { value, created: true };
}

function readSecret(file: string): string {
  return readFileSync(file, 'utf8').trim();
}
