import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, readConfig, type LedgerConfig } from '../../src/config/ledger-config';
import { resolveSecrets, type Secrets } from '../../src/config/local-secrets';
import { LedgerModule } from '../../src/ledger.module';
import { systemClock } from '../../src/system-clock';

/**
 * The worker alone: projections (and, as it comes, the lifecycle saga), no HTTP. It reads
 * the same configuration as the whole ledger; it needs the master key (the vault), not the
 * API keys.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const config = readConfig(process.env, argv);
  const app = await NestFactory.createApplicationContext(
    LedgerModule.forRoot({
      config,
      secrets: workerSecrets(config),
      clock: systemClock,
      http: false,
    }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write(`ledger worker running (store: ${config.store}, data: ${config.dataDir})\n`);
}

function workerSecrets(config: LedgerConfig): Secrets {
  if (config.localMode) return resolveSecrets(config);
  if (!config.masterKey) {
    throw new ConfigError('LEDGER_MASTER_KEY is not set; set it, or start in local mode (--local)');
  }
  return { apiKeys: '', masterKey: config.masterKey };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const { message, code } = error as { message?: string; code?: string };
    // Configuration and start-up errors are written for an operator; none carries personal data.
    process.stderr.write(
      `ledger worker failed to start${code ? ` (${code})` : ''}: ${message ?? String(error)}\n`,
    );
    process.exit(1);
  });
}
