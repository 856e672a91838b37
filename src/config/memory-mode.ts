import { ConfigError, type MemoryMode } from './ledger-config';

/**
 * `LEDGER_MEMORY=small`: V8 favours memory over speed in every thread (young generations of
 * 1 MB, heaps grown and collected for size). 1,000,000 events published over HTTP: the
 * server's RSS 266 MB at the end and 288 at the peak, against 318 and 339 by default; it
 * costs about a fifth of publishing throughput and single events' p99 (bench/RESULTS.md,
 * memory-rss-small; README, "Performance"). It is a flag of the node command itself (not
 * allowed in NODE_OPTIONS, and too late once the heaps exist), so the launcher
 * bin/ledger-server gives it; this only checks that it was given.
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
