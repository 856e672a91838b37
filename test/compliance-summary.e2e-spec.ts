import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { decodeLedgerEvent } from '../libs/domain/events/ledger-event';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The summary's counts, checked against what the ledger shows elsewhere: the schedules
 * (records per purpose and phase, next actions) and the saga's outcomes (actions done).
 */
describe('GET /v1/compliance/summary', () => {
  let ledger: Ledger;
  afterEach(() => ledger?.close());

  const summary = (key: string = KEYS.compliance) =>
    ledger.request('GET', '/v1/compliance/summary', { key });
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const member = (subjectId: string) => ({
    eventId: randomUUID(),
    type: 'AccountCreated',
    subjectId,
    occurredAt: '2024-03-01T10:00:00Z',
    source: 'marketplace-api',
    data: { role: 'member' },
    personalData: { identification: { email: `${subjectId}@example.fr` }, usage: { plan: 'p' } },
  });
  /** What the schedules say, in the summary's shape. */
  const fromSchedules = async (subjects: string[], now: Date) => {
    const byPurpose: Record<string, Record<string, number>> = {};
    const due: Record<string, number> = { archive: 0, erase: 0, requestRenewal: 0 };
    const until = new Date(now.getTime() + 30 * DAY_MS).toISOString();
    for (const subject of subjects) {
      const { body } = await ledger.request('GET', `/v1/subjects/${subject}/retention`, {
        key: KEYS.compliance,
      });
      for (const record of body.records) {
        for (const { purpose } of record.purposes) {
          byPurpose[purpose] ??= { active: 0, archived: 0, erased: 0 };
          byPurpose[purpose][record.phase]++;
        }
        const next = record.nextAction;
        if (next && next.dueAt >= now.toISOString() && next.dueAt < until) {
          due[next.action === 'request-renewal' ? 'requestRenewal' : next.action]++;
        }
      }
    }
    return { byPurpose, due };
  };

  it('counts records per purpose and phase, actions of the last and next 30 days', async () => {
    ledger = await startLedger({ now: '2024-03-01T10:00:00Z' });
    const subjects = ['sum-1', 'sum-2'];
    const published = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events: subjects.map(member) },
    });
    expect(published.status).toBe(201);

    // Two years without activity: both members' usage is archived.
    expect((await sweepAt('2026-03-02T00:00:00Z')).outcomes).toEqual({ archived: 2 });
    ledger.clock.set(new Date('2026-03-20T00:00:00Z'));
    const first = await summary();
    expect(first.status).toBe(200);
    const expected = await fromSchedules(subjects, ledger.clock.now());
    expect(first.body).toEqual({
      at: '2026-03-20T00:00:00.000Z',
      recordsByPurpose: expected.byPurpose,
      last30Days: {
        from: '2026-02-18T00:00:00.000Z',
        to: '2026-03-20T00:00:00.000Z',
        archived: 2,
        erased: 0,
        erasureDeferred: 0,
        renewalRequested: 0,
      },
      next30Days: {
        from: '2026-03-20T00:00:00.000Z',
        to: '2026-04-19T00:00:00.000Z',
        ...expected.due,
      },
    });
    expect(first.body.recordsByPurpose['platform-access']).toEqual({
      active: 2,
      archived: 2,
      erased: 0,
    });

    // Five years later: one member under a legal hold, the other's usage is erased; both
    // are asked to renew matchmaking.
    const hold = await ledger.request('POST', '/v1/subjects/sum-2/legal-holds', {
      key: KEYS.admin,
      body: { reason: 'litigation RG 31/00007' },
    });
    expect(hold.status).toBe(201);
    expect((await sweepAt('2031-03-02T00:00:00Z')).outcomes).toMatchObject({
      erased: 1,
      'renewal-requested': 2,
    });
    const written = (type: string) =>
      ledger
        .readLog()
        .then(
          (log) => log.map((e) => decodeLedgerEvent(e.data)).filter((e) => e.type === type).length,
        );
    ledger.clock.set(new Date('2031-03-10T00:00:00Z'));
    const later = await summary(KEYS.admin);
    expect(later.status).toBe(200);
    expect(await written('ErasureDeferred')).toBeGreaterThan(0);
    expect(later.body.last30Days).toMatchObject({
      archived: 0,
      erased: 1,
      erasureDeferred: await written('ErasureDeferred'),
      renewalRequested: 2,
    });
    const again = await fromSchedules(subjects, ledger.clock.now());
    expect(later.body.recordsByPurpose).toEqual(again.byPurpose);
    expect(later.body.next30Days).toMatchObject(again.due);

    expect((await summary(KEYS.auditor)).status).toBe(403);
    expect((await summary(KEYS.publisher)).status).toBe(403);
  }, 60_000);
});
