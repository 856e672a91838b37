import { ConfigError, type MemoryMode } from './ledger-config';

/**
 * `LEDGER_MEMORY=small`: V8 favours memory over speed in every thread (heaps grown and
 * collected for size; the request thread's young generation 1 MB, the others set their own).
 * 1,000,000 events published over HTTP, two runs: the server's RSS 256-266 MB at the end and
 * 276-288 at the peak, against 318 and 339 by default. Publishing pays 12-33% of its rate and
 * single events' p99 doubles (bench/RESULTS.md, memory-rss-small and http-small; README,
 * "Performance"). It is a flag of the node command itself (not allowed in NODE_OPTIONS, and
 * too late once the heaps exist), so the launcher bin/ledger-server gives it; this only
 * checks that it was given.
 */
export const SMALL_MEMORY_NODE_FLAG = '--optimize-for-size';

/** Refuses to start in a memory mode the process was not started with. */
export function checkMemoryMode(mode: MemoryMode, execArgv: readonly string[]): void {
  if (mode === 'small' && !execArgv.includes(SMALL_MEMORY_NODE_FLAG)) {
    throw new ConfigError(
      `LEDGER_MEMORY=small needs node started with ${SMALL_MEMORY_NODE_FLAG}: start the ` +
        'ledger with bin/ledger-server (npm start does), which adds it, or give node the flag',
    );
  }
}
