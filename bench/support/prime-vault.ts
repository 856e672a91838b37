import { join } from 'node:path';
import { protectEvents } from '../../apps/api/publishing-events/protect-events';
import { parseMasterKey } from '../../libs/crypto/master-key';
import { openSqliteKeyVault } from '../../libs/crypto/sqlite-key-vault';
import { everyKeyOnce, publishedEvent } from './sample-events';

/**
 * Creates, in a server's vault file before the server starts, the pseudonym and data keys of
 * every (subject, kind) the load will draw, as a ledger that has already seen these subjects
 * would have them. It goes through `protectEvents`, so the keys are exactly the ones the
 * server will look up. Returns how many events' worth of keys were created.
 */
export async function primeVault(dataDir: string, masterKey: string, subjects: number) {
  const vault = openSqliteKeyVault(join(dataDir, 'vault.db'), parseMasterKey(masterKey));
  try {
    const pairs = everyKeyOnce(subjects);
    for (let start = 0; start < pairs.length; start += 1000) {
      const events = pairs.slice(start, start + 1000).map(([s, k]) => publishedEvent(s, k));
      await protectEvents(vault, events, {
        recordedAt: new Date().toISOString(),
        digests: events.map(() => ''),
      });
    }
    return pairs.length;
  } finally {
    await vault.close();
  }
}
