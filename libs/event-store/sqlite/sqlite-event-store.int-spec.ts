import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEventStore } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

testEventStore(
  'sqlite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { atomicAcrossStreams: true },
);
