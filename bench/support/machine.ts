import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { REPO_DIR } from './work-dir';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  readonly kernel: string;
  /** The code measured: HEAD, and whether the working tree (outside bench/) differed from it. */
  readonly code: string;
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    kernel: `Linux ${release()}`,
    code: codeVersion(),
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall back to what node says
  }
  return cpus()[0]?.model ?? 'unknown';
}

function codeVersion(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', '.', ':!bench')
      .split('\n')
      .filter(Boolean).length;
    return changed === 0 ? `git ${head}` : `git ${head} + ${changed} uncommitted paths`;
  } catch {
    return 'unknown (no git)';
  }
}
