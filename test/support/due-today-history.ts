import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseMasterKey } from '../../libs/crypto/master-key';
import { openSqliteKeyVault } from '../../libs/crypto/sqlite-key-vault';
import { decodeLedgerEvent, type LedgerEventV1 } from '../../libs/domain/events/ledger-event';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store';

/**
 * A member's history dated so that, on the system clock, an archive, a renewal question and
 * an erasure are all due today: the account ended in 2022 (2 years without activity), so
 * usage is archived and matchmaking asks in 2025; a month of visits from January 2025 is
 * kept 14 months.
 */
export function historyDueToday(subjectId = 'user-7') {
  const envelope = (type: string, occurredAt: string, extra: object) => ({
    eventId: randomUUID(),
    type,
    subjectId,
    occurredAt,
    source: 'marketplace-api',
    data: {},
    ...extra,
  });
  return [
    envelope('AccountCreated', '2020-01-01T00:00:00Z', {
      data: { role: 'member' },
      personalData: { identification: { email: 'ana@example.fr' }, usage: { plan: 'pro' } },
    }),
    envelope('VisitRecorded', '2025-01-02T00:00:00Z', {
      personalData: { navigation: { page: '/jobs' } },
    }),
  ];
}

/** The facts the ledger wrote itself into subjects' streams, read from a stopped ledger's files. */
export async function ledgerFactsIn(dataDir: string): Promise<LedgerEventV1[]> {
  const store = SqliteEventStore.open(join(dataDir, 'events.db'));
  try {
    const all = await store.readAll({ maxCount: 10_000 });
    return all
      .filter((e) => e.streamName.startsWith('subject-'))
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.source === 'ledger');
  } finally {
    await store.close();
  }
}

/**
 * Each `RecordErased` names a key the vault no longer holds, and its fingerprint is that of
 * the last key it destroyed (read from the vault file once the ledger stopped).
 */
export async function expectKeysDestroyed(
  dataDir: string,
  masterKey: string,
  erased: readonly LedgerEventV1[],
): Promise<void> {
  const vault = openSqliteKeyVault(join(dataDir, 'vault.db'), parseMasterKey(masterKey));
  try {
    for (const fact of erased) {
      const [{ keyId, fingerprint }] = fact.data.destroyedKeys as {
        keyId: string;
        fingerprint: string;
      }[];
      expect(await vault.dataKey(keyId)).toBeUndefined();
      expect(fact.data.keyFingerprint).toBe(fingerprint);
    }
  } finally {
    await vault.close();
  }
}
