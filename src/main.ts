import 'reflect-metadata';
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
  const app = await createApp({ config, secrets, clock: systemClock });
  if (config.host) await app.listen(config.port, config.host);
  else await app.listen(config.port);

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
