import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './ledger-config';
import { resolveSecrets } from './local-secrets';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      port: 3000,
      store: 'sqlite',
      sweepIntervalMs: 60_000,
      localMode: false,
      workerNice: 10,
      memory: 'default',
    });
    expect(readConfig({ LEDGER_MEMORY: 'small' }).memory).toBe('small');
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
    expect(config.bodyLimitBytes).toBe(10 * 1024 * 1024);
  });

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
    expect(() => readConfig({ LEDGER_STORE: 'postgres' })).toThrow(/LEDGER_STORE must be one of/);
    expect(() => readConfig({ LEDGER_STORE: 'esdb' })).toThrow(/needs LEDGER_ESDB_URL/);
    expect(() => readConfig({ LEDGER_WORKER_NICE: '20' })).toThrow(
      /LEDGER_WORKER_NICE must be a whole number from 0 to 19/,
    );
    expect(() => readConfig({ LEDGER_MEMORY: 'tiny' })).toThrow(
      /LEDGER_MEMORY must be one of default, small/,
    );
  });

  it('refuses to start without keys outside local mode', () => {
    expect(() => resolveSecrets(readConfig({ LEDGER_MASTER_KEY: 'x' }))).toThrow(
      /LEDGER_API_KEYS is not set/,
    );
  });

  it('in local mode generates keys once, mode 0600, and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-config-'));
    const config = readConfig({ LEDGER_DATA_DIR: dir }, ['--local']);
    const first = resolveSecrets(config);
    expect(first.generatedApiKeys).toBe(first.apiKeys);
    expect(first.apiKeys).toMatch(/^publisher=.+,compliance=.+,auditor=.+,admin=.+$/);
    expect(statSync(join(dir, 'api-keys.txt')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(
      Buffer.from(readFileSync(join(dir, 'master.key'), 'utf8').trim(), 'base64'),
    ).toHaveLength(32);

    const second = resolveSecrets(config);
    expect(second.generatedApiKeys).toBeUndefined();
    expect(second).toMatchObject({ apiKeys: first.apiKeys, masterKey: first.masterKey });
  });
});
