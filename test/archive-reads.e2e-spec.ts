import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { parseMasterKey } from '../libs/crypto/master-key';
import { openPersonalData } from '../libs/crypto/personal-data/seal-personal-data';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { KEYS, MASTER_KEY, startLedger, type Ledger } from './support/ledger-harness';

const PLAN = 'gold-plan-7f3a9c';
const EMAIL = 'ana.archive@example.fr';

/**
 * A member's usage data is archived two years after the last activity and erased five years
 * later. In between, only the explicit archive read shows it, and every such read is an
 * event; afterwards nothing does: not the API, not the log, not a copy of the log taken
 * before the key was destroyed.
 */
describe('archive reads', () => {
  let ledger: Ledger;
  let copies: string[] = [];
  afterEach(async () => {
    await ledger?.close();
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    copies = [];
  });

  const read = (
    recordKey: string,
    category: string,
    body: unknown,
    key: string = KEYS.compliance,
  ) =>
    ledger.request(
      'POST',
      `/v1/subjects/user-1/records/${encodeURIComponent(recordKey)}/${category}/archive-reads`,
      { key, body },
    );
  const facts = async (): Promise<LedgerEventV1[]> =>
    (await ledger.readLog())
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.source === 'ledger');
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const copyDataDir = () => {
    const copy = mkdtempSync(join(tmpdir(), 'ledger-copy-'));
    copies.push(copy);
    cpSync(ledger.dataDir, copy, { recursive: true });
    return copy;
  };

  it('opens an archived record for a reason, recorded first; refuses active and erased ones', async () => {
    ledger = await startLedger({ now: '2024-03-01T10:00:00Z' });
    const created = {
      eventId: randomUUID(),
      type: 'AccountCreated',
      subjectId: 'user-1',
      occurredAt: '2024-03-01T10:00:00Z',
      source: 'marketplace-api',
      data: { role: 'member' },
      personalData: { identification: { email: EMAIL }, usage: { plan: PLAN } },
    };
    expect(
      (await ledger.request('POST', '/v1/events', { key: KEYS.publisher, body: created })).status,
    ).toBe(201);

    // Active: the archive read is no way around the export; nothing is written.
    const active = await read('account', 'usage', { reason: 'audit 2024-17' });
    expect(active.status).toBe(409);
    expect(active.body.message).toEqual([
      'record: not archived; an archive read opens archived records only',
    ]);

    expect((await sweepAt('2026-03-02T00:00:00Z')).outcomes).toEqual({ archived: 1 });
    // The schedule shows the phase and the dates, never the content.
    const schedule = await ledger.request('GET', '/v1/subjects/user-1/retention', {
      key: KEYS.compliance,
    });
    expect(schedule.body.records).toContainEqual(
      expect.objectContaining({ recordKey: 'account', category: 'usage', phase: 'archived' }),
    );
    expect(JSON.stringify(schedule.body)).not.toContain(PLAN);

    ledger.clock.set(new Date('2026-05-04T09:30:00Z'));
    const opened = await read('account', 'usage', { reason: 'tax audit 2026-05' });
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      subjectId: 'user-1',
      recordKey: 'account',
      category: 'usage',
      archivedAt: '2026-03-01T10:00:00.000Z',
      readId: expect.any(String),
      personalData: [
        {
          eventId: created.eventId,
          type: 'AccountCreated',
          occurredAt: '2024-03-01T10:00:00.000Z',
          values: { plan: PLAN },
        },
      ],
    });
    const recorded = (await facts()).find((e) => e.type === 'ArchiveRead');
    expect(recorded).toMatchObject({
      eventId: opened.body.readId,
      occurredAt: '2026-05-04T09:30:00.000Z',
      data: {
        recordKey: 'account',
        category: 'usage',
        reason: 'tax audit 2026-05',
        readBy: ['compliance'],
        eventIds: [created.eventId],
      },
    });
    expect(JSON.stringify(recorded)).not.toContain(KEYS.compliance);
    expect((await read('account', 'usage', { reason: 'again' }, KEYS.admin)).status).toBe(200);
    expect(
      (await facts()).filter((e) => e.type === 'ArchiveRead').map((e) => e.data.readBy),
    ).toEqual([['compliance'], ['admin']]);

    // Who may, and what is asked.
    const reason = { reason: 'x' };
    expect((await read('account', 'usage', reason, KEYS.auditor)).status).toBe(403);
    expect((await read('account', 'usage', reason, KEYS.publisher)).status).toBe(403);
    expect((await read('account', 'usage', reason, '')).status).toBe(401);
    expect((await read('account', 'usage', {})).status).toBe(400);
    expect((await read('invoice:INV-1', 'billing', reason)).status).toBe(404);
    const unknownSubject = await ledger.request(
      'POST',
      '/v1/subjects/user-9/records/account/usage/archive-reads',
      { key: KEYS.compliance, body: reason },
    );
    expect(unknownSubject.status).toBe(404);
    expect((await facts()).filter((e) => e.type === 'ArchiveRead')).toHaveLength(2);

    // A copy of the whole data folder taken while the key still exists.
    const before = copyDataDir();

    // Usage's archive runs out: its key is destroyed. The member is asked to renew matchmaking.
    expect((await sweepAt('2031-03-02T00:00:00Z')).outcomes).toEqual({
      erased: 1,
      'renewal-requested': 1,
    });
    const gone = await read('account', 'usage', reason);
    expect(gone.status).toBe(410);
    expect(gone.body.message).toEqual([
      'record: erased; its data key is destroyed and its data cannot be read',
    ]);
    expect((await read('account', 'identification', reason)).status).toBe(409);
    // No answer within a month: identification leaves its active phase.
    expect((await sweepAt('2031-04-03T00:00:00Z')).outcomes).toEqual({ archived: 1 });
    expect((await read('account', 'identification', reason)).body.personalData).toEqual([
      expect.objectContaining({ values: { email: EMAIL } }),
    ]);

    // The copy's log and read models never held the value in clear, and its boxes need a key
    // the vault no longer has.
    for (const file of readdirSync(before).filter((f) => !f.startsWith('vault.db'))) {
      expect({ file, clear: readFileSync(join(before, file)).includes(PLAN) }).toEqual({
        file,
        clear: false,
      });
    }
    const copiedLog = SqliteEventStore.open(join(before, 'events.db'));
    const usageBoxes = (await copiedLog.readAll({ maxCount: 1000 }))
      .map((e) => decodeLedgerEvent(e.data))
      .flatMap((e) => (e.personalData ?? []).map((box) => ({ eventId: e.eventId, box })))
      .filter(({ box }) => box.category === 'usage');
    await copiedLog.close();
    expect(usageBoxes).toHaveLength(1);
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    expect(await vault.dataKey(usageBoxes[0].box.keyId)).toBeUndefined();

    // What crypto-shredding cannot undo: the copy's own vault.db, opened with the master key,
    // still holds the wrapped key it had when it was taken. A vault copy is a key copy.
    const copiedVault = openSqliteKeyVault(join(before, 'vault.db'), parseMasterKey(MASTER_KEY));
    const oldKey = await copiedVault.dataKey(usageBoxes[0].box.keyId);
    await copiedVault.close();
    expect(openPersonalData(usageBoxes[0].eventId, usageBoxes[0].box, oldKey!)).toEqual({
      plan: PLAN,
    });

    // The last record goes and the subject is forgotten: the ledger no longer knows the id.
    expect((await sweepAt('2037-01-01T00:00:00Z')).outcomes).toEqual({ erased: 1 });
    expect((await read('account', 'identification', reason)).status).toBe(404);
  }, 60_000);
});
