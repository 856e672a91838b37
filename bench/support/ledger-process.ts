import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_DIR } from './work-dir';

export interface Rss {
  /** VmRSS: resident now. */
  readonly currentMb: number;
  /** VmHWM: the highest resident size the process ever had. */
  readonly peakMb: number;
}

export interface LedgerProcess {
  readonly url: string;
  readonly pid: number;
  readonly publisherKey: string;
  rss(): Rss;
  /** User + system CPU time the server used so far (its last known value once it exited). */
  cpuSeconds(): number;
  /** How it ended, when it did (a crash, or a kill by something else than the harness). */
  exit(): { readonly code: number | null; readonly signal: string | null } | undefined;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
/** Servers still running: killed if the harness itself is interrupted. */
const running = new Set<ChildProcess>();
/** Servers the harness itself is stopping: their exit is expected. */
const stopping = new WeakSet<ChildProcess>();
const STOP_TIMEOUT_MS = 15_000;
const CLOCK_TICKS_PER_SECOND = 100;

export interface LedgerProcessOptions {
  /** base64 of 32 bytes; a fresh one when absent. */
  readonly masterKey?: string;
  /** Modules to `--require` before the server (diagnostics). */
  readonly preload?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The built server, started as `npm start` starts it (bin/ledger-server: its memory settings
 * included), as a child process with a data folder of its own, fresh keys and `warn` logs,
 * listening on 127.0.0.1 only. `BENCH_SERVER_NODE_ARGS` adds node flags; they and the
 * preloads reach node through NODE_OPTIONS, so only the flags it allows (`--max-semi-space-size`,
 * `--perf-basic-prof`...; not `--cpu-prof`: node refuses to start with it there).
 */
export async function startLedgerProcess(
  dataDir: string,
  options: LedgerProcessOptions = {},
): Promise<LedgerProcess> {
  const publisherKey = randomBytes(24).toString('base64url');
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const preload = options.preload ?? [];
  const nodeOptions = [...nodeArgs, ...preload.map((file) => `--require "${file}"`)];
  return startServer(
    [LAUNCHER],
    (port) => ({
      ...(nodeOptions.length > 0 && { NODE_OPTIONS: nodeOptions.join(' ') }),
      PORT: String(port),
      LEDGER_DATA_DIR: dataDir,
      LEDGER_STORE: 'sqlite',
      LEDGER_API_KEYS: `publisher=${publisherKey}`,
      LEDGER_MASTER_KEY: options.masterKey ?? randomBytes(32).toString('base64'),
      LEDGER_AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
      LEDGER_LOG_LEVEL: 'warn',
      LEDGER_HOST: '127.0.0.1',
      ...options.env,
    }),
    publisherKey,
  );
}

/** `floor-server`: node's HTTP server parsing and answering, nothing more. */
export function startFloorProcess(): Promise<LedgerProcess> {
  return startServer(
    [process.execPath, join(__dirname, 'floor-server.js')],
    () => ({}),
    'no-key-needed',
    true,
  );
}

const LAUNCHER = join(REPO_DIR, 'bin', 'ledger-server');

async function startServer(
  args: readonly string[],
  envFor: (port: number) => Record<string, string>,
  publisherKey: string,
  portAsArgument = false,
): Promise<LedgerProcess> {
  const port = await freePort();
  // The benchmarks say everything the ledger reads; a developer's LEDGER_* must not leak in.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('LEDGER_')),
  );
  const [command, ...rest] = args;
  const child = spawn(command!, [...rest, ...(portAsArgument ? [String(port)] : [])], {
    env: { ...env, ...envFor(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', (code, signal) => {
    if (!running.delete(child)) return;
    if (!stopping.has(child)) {
      process.stderr.write(
        `server ${child.pid} exited on its own (code ${code}, signal ${signal})\n`,
      );
    }
  });
  const output = collectOutput(child);
  try {
    await waitForListening(child, output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid!;
  let cpuSeconds = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    publisherKey,
    rss: () => readRss(pid),
    cpuSeconds: () => {
      if (child.exitCode === null && child.signalCode === null) {
        cpuSeconds = readCpuSeconds(pid) ?? cpuSeconds;
      }
      return cpuSeconds;
    },
    exit: () =>
      child.exitCode === null && child.signalCode === null
        ? undefined
        : { code: child.exitCode, signal: child.signalCode },
    stop: () => stop(child, output),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function collectOutput(child: ChildProcess) {
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  // Warnings and errors of the server are worth seeing while the benchmark runs.
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
    process.stderr.write(`[ledger] ${chunk}`);
  });
  return output;
}

function waitForListening(child: ChildProcess, output: { stdout: string; stderr: string }) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('the ledger did not start within 30 s')),
      START_TIMEOUT_MS,
    );
    const onData = () => {
      if (!output.stdout.includes('ledger listening')) return;
      cleanUp();
      resolve();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`the ledger exited (${code}) before listening:\n${output.stderr}`));
    function fail(error: Error) {
      cleanUp();
      reject(error);
    }
    function cleanUp() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

async function stop(child: ChildProcess, output: { stderr: string }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stopping.add(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    process.stderr.write(`ledger did not stop within 15 s; killing it\n${output.stderr}`);
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function readRss(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  // kB here are KiB; reported in MB (10^6 bytes), the stricter reading of "300 MB".
  return { currentMb: (kb('VmRSS') * 1024) / 1e6, peakMb: (kb('VmHWM') * 1024) / 1e6 };
}

function readCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited between the check and the read
  }
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the
  // 14th field of the line, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** For an interrupted harness: no server outlives it. */
export function killLedgerProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}
