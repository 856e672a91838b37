import { testEventStore } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/**
 * No EventStoreDB server runs on the build machines, so this suite runs only when one is
 * named, e.g. `LEDGER_ESDB_URL='esdb://localhost:2113?tls=false' npx jest esdb` with the
 * node of docker-compose.yml. Streams are unique per test, so a shared server needs no
 * cleaning.
 */
const url = process.env.LEDGER_ESDB_URL;

if (url) {
  jest.setTimeout(30_000);
  testEventStore(
    'esdb',
    async () => {
      const store = EsdbEventStore.connect(url);
      return { store, dispose: () => store.close() };
    },
    { atomicAcrossStreams: false },
  );
} else {
  const reason = 'EventStoreDB contract suite SKIPPED: LEDGER_ESDB_URL is not set';
  // Straight to stderr: Jest prints neither the header nor the console of a file whose
  // tests are all skipped, and a skip nobody sees reads as a pass.
  process.stderr.write(`\n${reason} (e.g. LEDGER_ESDB_URL='esdb://localhost:2113?tls=false').\n`);
  describe('EventStore contract: esdb', () => {
    it.skip(reason, () => undefined);
  });
}
