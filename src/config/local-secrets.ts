import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type LedgerConfig } from './ledger-config';

export interface Secrets {
  readonly apiKeys: string;
  readonly masterKey: string;
  /** Set only on the first start of local mode: the keys to print, once. */
  readonly generatedApiKeys?: string;
}

const API_KEYS_FILE = 'api-keys.txt';
const MASTER_KEY_FILE = 'master.key';

/**
 * Keys come from the environment. Without them the ledger refuses to start, except in
 * local mode, which generates them once into the data folder (mode 0600) and reuses them.
 */
export function resolveSecrets(config: LedgerConfig): Secrets {
  if (!config.localMode) {
    if (!config.apiKeys) {
      throw new ConfigError(
        'LEDGER_API_KEYS is not set; set it, or start in local mode (--local) to generate keys',
      );
    }
    if (!config.masterKey) {
      throw new ConfigError(
        'LEDGER_MASTER_KEY is not set; set it, or start in local mode (--local) to generate one',
      );
    }
    return { apiKeys: config.apiKeys, masterKey: config.masterKey };
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const masterKey =
    config.masterKey ??
    keptSecret(config.dataDir, MASTER_KEY_FILE, () => randomBytes(32).toString('base64')).value;
  if (config.apiKeys) return { apiKeys: config.apiKeys, masterKey };
  const apiKeys = keptSecret(config.dataDir, API_KEYS_FILE, generateApiKeys);
  return {
    apiKeys: apiKeys.value,
    masterKey,
    generatedApiKeys: apiKeys.created ? apiKeys.value : undefined,
  };
}

function generateApiKeys(): string {
  const key = () => randomBytes(24).toString('base64url');
  return ['publisher', 'compliance', 'auditor', 'admin']
    .map((role) => `${role}=${key()}`)
    .join(',');
}

function keptSecret(dir: string, name: string, generate: () => string) {
  const file = join(dir, name);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = generate();
  // `wx`: if two processes start at once, one creates the file and the other fails loudly
  // instead of both writing different secrets.
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, created: true };
}
