import { mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** `dist/bench/support` -> the repository's `bench/`. */
export const REPO_DIR = join(__dirname, '..', '..', '..');
export const BENCH_DIR = join(REPO_DIR, 'bench');
const WORK_ROOT = join(BENCH_DIR, '.work');
const inUse = new Set<string>();

/** A fresh folder under `bench/.work/` (gitignored), removed however `use` ends. */
export async function withWorkDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  mkdirSync(WORK_ROOT, { recursive: true });
  const dir = mkdtempSync(join(WORK_ROOT, `${prefix}-`));
  inUse.add(dir);
  try {
    return await use(dir);
  } finally {
    removeWorkDir(dir);
  }
}

/** For an interrupted harness: what it created under `bench/.work/` goes too. */
export function removeWorkDirs(): void {
  for (const dir of inUse) removeWorkDir(dir);
}

function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  inUse.delete(dir);
  removeIfEmpty(WORK_ROOT);
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // another benchmark's folder is still there, or it is already gone
  }
}
