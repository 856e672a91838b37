import { join } from 'node:path';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import type { MasterKey } from '../libs/crypto/master-key';
import type { EventStore } from '../libs/event-store';
import { EsdbEventStore } from '../libs/event-store/esdb';
import { MemoryEventStore } from '../libs/event-store/memory/memory-event-store';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import type { LedgerConfig } from './config/ledger-config';

export interface Stores {
  readonly eventStore: EventStore;
  readonly keyVault: KeyVault;
}

/**
 * The log lives where LEDGER_STORE says; the key vault always in the data folder beside the
 * process (an EventStoreDB log included: a log that cannot forget needs a vault that can).
 */
export function openStores(config: LedgerConfig, masterKey: MasterKey): Stores {
  const inMemory = config.store === 'memory';
  const keyVault = openSqliteKeyVault(
    inMemory ? ':memory:' : join(config.dataDir, 'vault.db'),
    masterKey,
  );
  return { eventStore: openEventStore(config), keyVault };
}

function openEventStore(config: LedgerConfig): EventStore {
  switch (config.store) {
    case 'sqlite':
      return SqliteEventStore.open(join(config.dataDir, 'events.db'));
    case 'memory':
      return new MemoryEventStore();
    case 'esdb':
      return EsdbEventStore.connect(config.esdbUrl!);
  }
}
