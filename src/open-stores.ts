import { join } from 'node:path';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import type { MasterKey } from '../libs/crypto/master-key';
import type { EventStore } from '../libs/event-store';
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
      return loadEsdbAdapter().EsdbEventStore.connect(config.esdbUrl!);
  }
}

/**
 * The EventStoreDB client (gRPC and its generated protobuf code) is loaded only when the log
 * lives there: on SQLite it would hold ~5 MB of heap in each of the two threads that open
 * stores, for nothing (measured with heap snapshots of an idle ledger).
 */
function loadEsdbAdapter(): typeof import('../libs/event-store/esdb') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../libs/event-store/esdb') as typeof import('../libs/event-store/esdb');
}
