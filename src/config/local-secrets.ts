import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { keepSecretFile } from '../../libs/crypto/local-secret-file';
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
    keepSecretFile(config.dataDir, MASTER_KEY_FILE, () => randomBytes(32).toString('base64')).value;
  if (config.apiKeys) return { apiKeys: config.apiKeys, masterKey };
  const apiKeys = keepSecretFile(config.dataDir, API_KEYS_FILE, generateApiKeys);
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
