import 'reflect-metadata';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, readConfig, type LedgerConfig } from '../../src/config/ledger-config';
import { resolveSecrets, type Secrets } from '../../src/config/local-secrets';
import { checkMemoryMode } from '../../src/config/memory-mode';
import { LedgerModule } from '../../src/ledger.module';
import { systemClock } from '../../src/system-clock';

/**
 * The worker alone: projections (and, as it comes, the lifecycle saga), no HTTP. It reads
 * the same configuration as the whole ledger; it needs the master key (the vault), not the
 * API keys.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const config = readConfig(process.env, argv);
  // V8's flags are the process's: on a thread of the all-in-one process, src/main.ts checked
  // them (a thread's execArgv is its own, not node's).
  if (isMainThread) checkMemoryMode(config.memory, process.execArgv);
  yieldTheCpu(config.workerNice);
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

/**
 * Lowers the worker's CPU priority before it starts any thread (its SQLite writer and fill
 * threads inherit it). On Linux a thread's niceness is its own: on the thread of the
 * all-in-one process (src/main.ts) only the worker yields, to the thread that answers
 * publishers and its writer; run alone, the worker process yields to the API's. It only
 * matters when both want the CPU: then projections, which are derived and catch up, fall
 * behind rather than publishing. HTTP batches of 100 on 2 cores: 6,752-8,427 events/s at 10
 * against 5,201-6,763 at 0, alternating runs (measured).
 */
function yieldTheCpu(nice: number): void {
  if (nice === 0) return;
  try {
    setPriority(0, nice);
  } catch {
    // A system that refuses (none does for raising niceness on Linux) runs it at 0.
  }
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
