import 'reflect-metadata';
import { extname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { readConfig } from './config/ledger-config';
import { resolveSecrets } from './config/local-secrets';
import { checkMemoryMode } from './config/memory-mode';
import { createApp } from './create-app';
import { systemClock } from './system-clock';

/**
 * One process: the API and the worker (projections; the lifecycle saga as it comes), both
 * from LedgerModule. `apps/worker/main.ts` starts the worker alone.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  boundHeapGrowth();
  const config = readConfig(process.env, argv);
  checkMemoryMode(config.memory, process.execArgv);
  const secrets = resolveSecrets(config);
  // On the embedded store the projections run on a thread of their own (the other core)
  // over the same files; the memory store cannot be shared, so they run here.
  const projections = config.store === 'sqlite' ? startWorkerThread(argv) : undefined;
  const app = await createApp({
    config,
    secrets,
    clock: systemClock,
    projections: projections ? 'elsewhere' : 'here',
  });
  // Fastify listens on localhost only unless told otherwise; the ledger's default is every
  // (IPv4) interface.
  await app.listen(config.port, config.host ?? '0.0.0.0');

  if (secrets.generatedApiKeys) {
    // Printed once, on the first start of local mode; kept in the data folder (0600) after.
    process.stdout.write(
      `\nLocal mode: API keys generated into ${config.dataDir}/api-keys.txt (shown only this once):\n` +
        secrets.generatedApiKeys
          .split(',')
          .map((entry) => `  ${entry.replace('=', ': ')}`)
          .join('\n') +
        '\n\n',
    );
  }
  process.stdout.write(
    `ledger listening on port ${config.port} (store: ${config.store}, data: ${config.dataDir})\n`,
  );
}

/**
 * On a machine with many GiB, V8 lets a heap grow to up to 4x its live set between full
 * collections (measured: the main thread reserved 230 MB for 70 MB live during a publishing
 * burst, the projection thread 140 MB for 55 MB). 1.25x is the bound here. The flag is read
 * at each collection, so it applies to this isolate after start and to every thread's;
 * `--optimize-for-size` bounded it further but cost a third more CPU per event (measured):
 * it is the operator's choice, `LEDGER_MEMORY=small` (config/memory-mode.ts).
 */
function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=25');
}

/**
 * The projection thread's live heap is bounded by design (Nest ~30 MB, the runner's state
 * cache and pending states, see apps/worker/worker.module.ts: under 80 MB). With a small
 * limit V8 collects as the heap nears a small multiple of the live set instead of growing it
 * up to 4x (it does on a machine with many GiB); 256 MB keeps 3x headroom so that the limit
 * is never what stops the thread. A short young generation: scavenges are cheap, and each
 * MB of it is resident.
 */
const WORKER_THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 8 };

function startWorkerThread(argv: readonly string[]): Worker {
  const typescript = extname(__filename) === '.ts';
  const worker = new Worker(
    join(__dirname, '..', 'apps', 'worker', `worker-thread${extname(__filename)}`),
    {
      workerData: { argv: [...argv] },
      resourceLimits: WORKER_THREAD_LIMITS,
      // TypeScript sources (the tests) are compiled on load by the dev-only register hook.
      execArgv: typescript ? ['--require', '@swc-node/register'] : [],
    },
  );
  worker.on('error', (error) => {
    const { name, code } = error as { name?: string; code?: string };
    process.stderr.write(`ledger worker thread stopped (${code ?? name ?? 'error'})\n`);
  });
  return worker;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const { message, code } = error as { message?: string; code?: string };
    // Configuration and start-up errors are written for an operator; none carries personal data.
    process.stderr.write(
      `ledger failed to start${code ? ` (${code})` : ''}: ${message ?? String(error)}\n`,
    );
    process.exit(1);
  });
}
