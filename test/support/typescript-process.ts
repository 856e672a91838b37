import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root: the register hook reads its tsconfig.json from here. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Node arguments that run TypeScript sources as they are: @swc-node/register compiles each
 * file on load with tsconfig's options, emitDecoratorMetadata included (Nest's DI needs it).
 */
const TYPESCRIPT_EXEC_ARGV = ['--require', require.resolve('@swc-node/register')];

/** Every process started here, so that a failing suite can still kill them all. */
const started = new Set<ChildProcess>();

export interface ChildOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** TypeScript files loaded (`--require`) before `file`. */
  readonly preload?: readonly string[];
}

function execArgv(options: ChildOptions): string[] {
  return [...TYPESCRIPT_EXEC_ARGV, ...(options.preload ?? []).flatMap((f) => ['--require', f])];
}

function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  // Nothing of the developer's own ledger configuration leaks into the child.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('LEDGER_')),
  );
  return { ...inherited, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'), ...extra };
}

/** Runs a TypeScript file in a child process, stdout and stderr piped, no IPC channel. */
export function spawnTypeScript(
  file: string,
  args: readonly string[] = [],
  options: ChildOptions = {},
): ChildProcess {
  const child = spawn(process.execPath, [...execArgv(options), file, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child);
}

/** Runs a TypeScript file in a child process with an IPC channel (`process.send`). */
export function forkTypeScript(
  file: string,
  args: readonly string[] = [],
  options: ChildOptions = {},
): ChildProcess {
  const child = fork(file, [...args], {
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    execArgv: execArgv(options),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return track(child);
}

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!isRunning(child)) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGKILL to every child still running; for afterAll, whatever happened before. */
export async function killAllChildren(): Promise<void> {
  const running = [...started].filter(isRunning);
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map(exited));
}

/** What a child wrote, kept to show when it fails. */
export function captureOutput(child: ChildProcess): () => string {
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk) => chunks.push(String(chunk)));
  child.stderr?.on('data', (chunk) => chunks.push(String(chunk)));
  return () => chunks.join('');
}
