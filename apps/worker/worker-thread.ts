import { workerData } from 'node:worker_threads';
import { main } from './main';

/**
 * The worker on a thread of the all-in-one process (src/main.ts): the projections' folding
 * and SQLite writes then run on the other core instead of the thread that serves requests.
 */
main((workerData as { argv: string[] }).argv).catch((error: unknown) => {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  // By type and code only: an error's message could quote anything.
  process.stderr.write(`ledger worker thread failed to start (${code ?? name ?? 'error'})\n`);
  process.exit(1);
});
