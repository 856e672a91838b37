import { resolve } from 'node:path';

export const STORE_KINDS = ['sqlite', 'esdb', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** How V8 sizes the heaps: `small` trades publishing speed for memory (see memory-mode.ts). */
export const MEMORY_MODES = ['default', 'small'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

/** Everything the ledger reads from its environment, checked once at start. */
export interface LedgerConfig {
  readonly port: number;
  /** Interface to listen on; absent: every interface. */
  readonly host?: string;
  readonly store: StoreKind;
  readonly dataDir: string;
  readonly esdbUrl?: string;
  readonly sweepIntervalMs: number;
  readonly policyFile?: string;
  /** The registry of downstream systems (YAML or JSON); none when absent. */
  readonly systemsFile?: string;
  /** `LEDGER_API_KEYS` as given; local mode may fill it from the data folder. */
  readonly apiKeys?: string;
  /** `LEDGER_MASTER_KEY` (base64, 32 bytes); local mode may fill it from the data folder. */
  readonly masterKey?: string;
  /** Generates missing keys into the data folder instead of refusing to start. */
  readonly localMode: boolean;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  /** The audit log's name in its signed checkpoints (their first line) and its key's name. */
  readonly auditOrigin: string;
  /** `LEDGER_AUDIT_SIGNING_KEY`: PKCS#8 PEM or base64 of the 32-byte Ed25519 seed. */
  readonly auditSigningKey?: string;
  /** Sign a checkpoint once the tree grew by this many leaves... */
  readonly checkpointEvery: number;
  /** ...and at least this often while anything comes in. */
  readonly checkpointIntervalMs: number;
  /** The worker's niceness (0-19): the CPU goes to publishing first when both want it. */
  readonly workerNice: number;
  /** `LEDGER_MEMORY`: applied by the launcher (bin/ledger-server), checked at start. */
  readonly memory: MemoryMode;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

type Env = Readonly<Record<string, string | undefined>>;

export function readConfig(env: Env, argv: readonly string[] = []): LedgerConfig {
  const store = (env.LEDGER_STORE ?? 'sqlite') as StoreKind;
  if (!STORE_KINDS.includes(store)) {
    throw new ConfigError(`LEDGER_STORE must be one of ${STORE_KINDS.join(', ')}`);
  }
  if (store === 'esdb' && !env.LEDGER_ESDB_URL) {
    throw new ConfigError('LEDGER_STORE=esdb needs LEDGER_ESDB_URL (an esdb:// connection string)');
  }
  const memory = (env.LEDGER_MEMORY || 'default') as MemoryMode;
  if (!MEMORY_MODES.includes(memory)) {
    throw new ConfigError(`LEDGER_MEMORY must be one of ${MEMORY_MODES.join(', ')}`);
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.LEDGER_HOST || undefined,
    store,
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    esdbUrl: env.LEDGER_ESDB_URL || undefined,
    sweepIntervalMs: integer(env, 'LEDGER_SWEEP_INTERVAL_MS', 60_000, 10, 86_400_000),
    policyFile: env.LEDGER_POLICY ? resolve(env.LEDGER_POLICY) : undefined,
    systemsFile: env.LEDGER_SYSTEMS ? resolve(env.LEDGER_SYSTEMS) : undefined,
    apiKeys: env.LEDGER_API_KEYS || undefined,
    masterKey: env.LEDGER_MASTER_KEY || undefined,
    localMode: argv.includes('--local') || env.LEDGER_LOCAL_MODE === 'true',
    bodyLimitBytes: integer(env, 'LEDGER_BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 ** 3),
    logLevel: env.LEDGER_LOG_LEVEL ?? 'info',
    auditOrigin: auditOrigin(env.LEDGER_AUDIT_ORIGIN),
    auditSigningKey: env.LEDGER_AUDIT_SIGNING_KEY || undefined,
    checkpointEvery: integer(env, 'LEDGER_CHECKPOINT_EVERY', 10_000, 2, 1_000_000_000),
    checkpointIntervalMs: integer(env, 'LEDGER_CHECKPOINT_INTERVAL_MS', 60_000, 10, 86_400_000),
    workerNice: integer(env, 'LEDGER_WORKER_NICE', 10, 0, 19),
    memory,
  };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * C2SP asks for a schema-less URL naming the log; it is also the signing key's name, so it
 * takes no spaces and no `+` (signed-note key names).
 */
function auditOrigin(raw: string | undefined): string {
  const origin = raw || 'ledger.localhost/audit';
  if (!/^[\x21-\x2a\x2c-\x7e]{1,255}$/.test(origin)) {
    throw new ConfigError(
      'LEDGER_AUDIT_ORIGIN must be printable ASCII without spaces or "+", like ledger.example.com/audit',
    );
  }
  return origin;
}
