import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { EVENT_STORE, type EventStore } from '../libs/event-store';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

/**
 * The saga on its own clock: a member's account data is archived when the account ends
 * (2 years without activity), erased when its archive runs out, and the subject is asked
 * to renew matchmaking; the last erasure forgets the subject. Each pass is a sweep the
 * timer would run; the test calls it after moving the clock.
 */
describe('the lifecycle saga', () => {
  let ledger: Ledger;
  afterEach(async () => ledger?.close());

  const publish = async (...events: object[]) => {
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events },
    });
    expect(response.status).toBe(201);
  };
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const ledgerFacts = async (): Promise<LedgerEventV1[]> => {
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const all = await store.readAll({ maxCount: 10_000 });
    return all
      .filter((e) => e.streamName.startsWith('subject-'))
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.source === 'ledger');
  };
  const record = async (recordKey: string, category: string) => {
    const { body } = await ledger.request('GET', '/v1/subjects/user-1/retention', {
      key: KEYS.compliance,
    });
    return body.records.find((r: any) => r.recordKey === recordKey && r.category === category);
  };

  it('archives, asks for renewal, erases by destroying the keys, then forgets the subject', async () => {
    ledger = await startLedger({ now: '2024-03-01T10:00:00Z' });
    const created = {
      eventId: randomUUID(),
      type: 'AccountCreated',
      subjectId: 'user-1',
      occurredAt: '2024-03-01T10:00:00Z',
      source: 'marketplace-api',
      data: { role: 'member' },
      personalData: { identification: { email: 'ana@example.fr' }, usage: { plan: 'pro' } },
    };
    await publish(created);
    expect(await sweepAt('2026-02-28T10:00:00Z')).toMatchObject({ due: 0 });

    // The account ends 2 years after the last activity: usage data (platform-access only)
    // is archived 5 years from then.
    const archiving = await sweepAt('2026-03-02T00:00:00Z');
    expect(archiving.outcomes).toEqual({ archived: 1 });
    expect(await record('account', 'usage')).toMatchObject({
      phase: 'archived',
      nextAction: { action: 'erase', dueAt: '2031-03-01T10:00:00.000Z' },
    });
    const [archived] = await ledgerFacts();
    expect(archived).toMatchObject({
      type: 'RecordArchived',
      occurredAt: '2026-03-01T10:00:00.000Z',
      recordedAt: '2026-03-02T00:00:00.000Z',
      data: {
        recordKey: 'account',
        category: 'usage',
        policyVersion: '2023-01-24',
        purposes: ['platform-access'],
        dueAt: '2026-03-01T10:00:00.000Z',
        because: [created.eventId],
      },
    });
    // A sweep again finds nothing more to do: nothing is written twice.
    expect(await sweepAt('2026-03-02T00:00:00Z')).toMatchObject({ due: 0 });

    // Matchmaking runs 3 years after the account's end, then the member is asked.
    const asking = await sweepAt('2029-03-02T00:00:00Z');
    expect(asking.outcomes).toEqual({ 'renewal-requested': 1 });
    const renewal = (await ledgerFacts()).find((e) => e.type === 'RenewalRequested');
    expect(renewal?.data).toMatchObject({
      purpose: 'matchmaking',
      dueAt: '2029-03-01T10:00:00.000Z',
      answerBy: '2029-04-01T00:00:00.000Z',
    });

    // No answer: identification leaves the active phase when the answer window closes, and
    // its platform-access archive counts from that day; usage's archive runs out first.
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    const pseudonym = archived.subject!;
    const keyIds = (await vault.liveKeysOf(pseudonym)).map((k) => k.keyId);
    expect(keyIds).toHaveLength(2);
    const late = await sweepAt('2031-03-02T00:00:00Z');
    expect(late).toMatchObject({ outcomes: { archived: 1, erased: 1 }, written: 2 });
    expect(await record('account', 'identification')).toMatchObject({
      phase: 'archived',
      nextAction: { action: 'erase', dueAt: '2034-04-01T00:00:00.000Z' },
    });
    expect(await vault.liveKeysOf(pseudonym)).toHaveLength(1);

    // The last record goes, and the subject with it.
    expect(await sweepAt('2034-04-01T00:00:00Z')).toMatchObject({ outcomes: { erased: 1 } });
    const erased = (await ledgerFacts()).filter((e) => e.type === 'RecordErased');
    expect(erased.map((e) => e.data.category).sort()).toEqual(['identification', 'usage']);
    for (const e of erased) expect(e.data.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    // No downstream system to tell: the link went with the last record, in the same commit.
    expect(erased.map((e) => e.data.subjectLink)).toEqual([undefined, 'forgotten']);
    for (const keyId of keyIds) expect(await vault.dataKey(keyId)).toBeUndefined();
    expect(await vault.liveKeysOf(pseudonym)).toEqual([]);
    expect(await vault.subjectIdOf(pseudonym)).toBeUndefined();
    const gone = await ledger.request('GET', '/v1/subjects/user-1/retention', {
      key: KEYS.compliance,
    });
    expect(gone.status).toBe(404);
    expect(await sweepAt('2031-03-02T00:00:00Z')).toMatchObject({ due: 0 });
  }, 60_000);

  it('defers an erasure while the subject restricts processing, and erases once lifted', async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    const rights = (right: string, occurredAt: string) => ({
      eventId: randomUUID(),
      type: 'RightsRequestReceived',
      subjectId: 'user-1',
      occurredAt,
      source: 'support-desk',
      data: { requestId: `Q-${right}`, right },
    });
    await publish(
      {
        eventId: randomUUID(),
        type: 'VisitRecorded',
        subjectId: 'user-1',
        occurredAt: '2025-01-15T10:00:00Z',
        source: 'web',
        data: {},
        personalData: { navigation: { page: '/jobs' } },
      },
      rights('restriction', '2025-01-15T10:00:00Z'),
    );
    // Statistics keep a month of visits 14 months.
    const held = await sweepAt('2026-03-16T00:00:00Z');
    // The second pass of the sweep decides the same and writes nothing.
    expect(held).toMatchObject({ outcomes: { deferred: 2 }, written: 1 });
    expect(await sweepAt('2026-03-17T00:00:00Z')).toMatchObject({
      outcomes: { deferred: 1 },
      written: 0,
    });
    const deferrals = (await ledgerFacts()).filter((e) => e.type === 'ErasureDeferred');
    // The same deadline and reason: one fact, however many sweeps saw it.
    expect(deferrals).toHaveLength(1);
    expect(deferrals[0].data).toMatchObject({ recordKey: 'visits:2025-01', reason: 'restriction' });

    ledger.clock.set(new Date('2026-03-18T00:00:00Z'));
    await publish(rights('restriction-lifted', '2026-03-18T00:00:00Z'));
    expect(await sweepAt('2026-03-18T00:00:01Z')).toMatchObject({
      outcomes: { erased: 1 },
      written: 1,
    });
  }, 60_000);
});
