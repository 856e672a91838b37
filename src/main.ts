import 'reflect-metadata';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readConfig } from './config/ledger-config';
import { resolveSecrets } from './config/local-secrets';
import { createApp } from './create-app';
import { systemClock } from './system-clock';

/**
 * One process: the API and the worker (projections; the lifecycle saga as it comes), both
 * from LedgerModule. `apps/worker/main.ts` starts the worker alone.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const config = readConfig(process.env, argv);
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

function startWorkerThread(argv: readonly string[]): Worker {
  const typescript = extname(__filename) === '.ts';
  const worker = new Worker(
    join(__dirname, '..', 'apps', 'worker', `worker-thread${extname(__filename)}`),
    {
      workerData: { argv: [...argv] },
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
