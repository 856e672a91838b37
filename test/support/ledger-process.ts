import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIT_SIGNING_KEY, KEYS, MASTER_KEY } from './ledger-harness';
import { REPO_ROOT, captureOutput, exited, isRunning, spawnTypeScript } from './typescript-process';

/** A ledger running as its own OS process (`src/main.ts`), as in production. */
export interface LedgerProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /**
   * Sends the signal and resolves once the process is gone; one still running after
   * `timeoutMs` (15 s) is killed, and `timedOut` says so.
   */
  stop(signal: 'SIGKILL' | 'SIGTERM', timeoutMs?: number): Promise<Stopped>;
}

export interface Stopped {
  readonly code: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
}

const API_KEYS = Object.entries(KEYS)
  .map(([role, key]) => `${role}=${key}`)
  .join(',');

/**
 * Starts `src/main.ts` on a free loopback port over `dataDir`, with the test keys, and
 * resolves once `/health` answers 200. A ledger that exits or does not answer in time is
 * killed, and the error carries what it wrote.
 */
export async function startLedgerProcess(options: {
  dataDir: string;
  startTimeoutMs?: number;
  /** More environment (a sweep interval, a crash point). */
  env?: Readonly<Record<string, string>>;
}): Promise<LedgerProcess> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  // The port is free when asked, not necessarily when the child binds it: try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const child = spawnTypeScript(join(REPO_ROOT, 'src', 'main.ts'), [], {
      env: {
        LEDGER_DATA_DIR: options.dataDir,
        PORT: String(port),
        LEDGER_API_KEYS: API_KEYS,
        LEDGER_MASTER_KEY: MASTER_KEY,
        LEDGER_AUDIT_SIGNING_KEY: AUDIT_SIGNING_KEY,
        LEDGER_LOG_LEVEL: 'warn',
        LEDGER_HOST: '127.0.0.1',
        ...options.env,
      },
    });
    const output = captureOutput(child);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(url, child, timeoutMs);
    } catch (error) {
      if (isRunning(child)) child.kill('SIGKILL');
      await exited(child);
      if (attempt < 3 && output().includes('EADDRINUSE')) continue;
      throw new Error(
        `${(error as Error).message}\n--- what the ledger wrote ---\n${output() || '(nothing)'}`,
      );
    }
    return {
      url,
      dataDir: options.dataDir,
      child,
      output,
      async stop(signal, stopTimeoutMs = 15_000) {
        if (isRunning(child)) child.kill(signal);
        const cancel = new AbortController();
        const timer = sleep(stopTimeoutMs, 'timeout' as const, { signal: cancel.signal });
        const first = await Promise.race([exited(child), timer.catch(() => 'cancelled')]);
        cancel.abort();
        const timedOut = first === 'timeout';
        if (timedOut) child.kill('SIGKILL');
        return { ...(await exited(child)), timedOut };
      },
    };
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) {
      throw new Error(
        `the ledger exited (code ${child.exitCode}, signal ${child.signalCode}) before /health answered`,
      );
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.text();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the ledger did not answer /health with 200 within ${timeoutMs} ms`);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
