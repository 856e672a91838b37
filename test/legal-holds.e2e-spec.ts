import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

/**
 * Admins place and release legal holds; while one holds, the saga defers the subject's
 * erasures (reason "legal-hold"), and the sweep after the release erases what is past due.
 */
describe('legal holds', () => {
  let ledger: Ledger;
  afterEach(async () => ledger?.close());

  const place = (subjectId: string, body: unknown, key: string = KEYS.admin) =>
    ledger.request('POST', `/v1/subjects/${subjectId}/legal-holds`, { key, body });
  const release = (subjectId: string, holdId: string, body: unknown, key: string = KEYS.admin) =>
    ledger.request('POST', `/v1/subjects/${subjectId}/legal-holds/${holdId}/release`, {
      key,
      body,
    });
  const facts = async (): Promise<LedgerEventV1[]> =>
    (await ledger.readLog())
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.source === 'ledger');
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const publishVisit = async () => {
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type: 'VisitRecorded',
        subjectId: 'user-1',
        occurredAt: '2025-01-15T10:00:00Z',
        source: 'web',
        data: {},
        personalData: { navigation: { page: '/jobs' } },
      },
    });
    expect(response.status).toBe(201);
  };

  it('defers erasure while a hold is in force and erases at the first sweep after its release', async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    await publishVisit();

    ledger.clock.set(new Date('2026-01-10T09:00:00Z'));
    const placed = await place('user-1', { reason: 'litigation RG 24/01234' });
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual({
      holdId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      placedAt: '2026-01-10T09:00:00.000Z',
      reason: 'litigation RG 24/01234',
    });
    const [placedFact] = await facts();
    expect(placedFact).toMatchObject({
      type: 'LegalHoldPlaced',
      data: { holdId: placed.body.holdId, reason: 'litigation RG 24/01234' },
    });

    // Statistics keep a month of visits 14 months: due mid-March 2026, held.
    expect(await sweepAt('2026-03-16T00:00:00Z')).toMatchObject({ outcomes: { deferred: 2 } });
    const deferred = (await facts()).filter((e) => e.type === 'ErasureDeferred');
    expect(deferred).toHaveLength(1);
    expect(deferred[0].data).toMatchObject({ recordKey: 'visits:2025-01', reason: 'legal-hold' });

    ledger.clock.set(new Date('2026-04-01T08:00:00Z'));
    const released = await release('user-1', placed.body.holdId, { reason: 'case closed' });
    expect(released.status).toBe(200);
    expect(released.body).toEqual({
      ...placed.body,
      released: { at: '2026-04-01T08:00:00.000Z', reason: 'case closed' },
    });
    // Releasing again: the same answer, whatever the reason given, and no second event.
    ledger.clock.set(new Date('2026-04-02T08:00:00Z'));
    const again = await release('user-1', placed.body.holdId, { reason: 'again' });
    expect(again).toEqual(released);
    expect((await facts()).filter((e) => e.type === 'LegalHoldReleased')).toHaveLength(1);

    expect(await sweepAt('2026-04-02T08:00:01Z')).toMatchObject({
      outcomes: { erased: 1 },
      written: 1,
    });
  }, 60_000);

  it('refuses bad requests with a 400 listing each problem, and changes nothing', async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    await publishVisit();
    const before = (await ledger.readLog()).length;
    const cases: Array<[unknown, string[]]> = [
      [{}, ['reason: must be a string']],
      [{ reason: '   ' }, ['reason: must not be blank']],
      [{ reason: 42 }, ['reason: must be a string']],
      [{ reason: 'a\nb' }, ['reason: must be printable characters on one line']],
      [{ reason: 'x'.repeat(501) }, ['reason: must be at most 500 characters']],
      [{ reason: 'ok', holdId: 'mine' }, ['property holdId should not exist']],
    ];
    for (const [body, problems] of cases) {
      const response = await place('user-1', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.body.message).toEqual(expect.arrayContaining(problems));
    }
    const badId = await release('user-1', 'not-a-uuid', { reason: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.message).toEqual(['holdId: must be a UUID']);
    const noBody = await ledger.request('POST', '/v1/subjects/user-1/legal-holds', {
      key: KEYS.admin,
    });
    expect(noBody.status).toBe(400);
    expect((await ledger.readLog()).length).toBe(before);
  }, 60_000);

  it('needs the admin role, and a known subject and hold', async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    await publishVisit();
    const body = { reason: 'audit' };
    expect((await place('user-1', body, '')).status).toBe(401);
    expect((await place('user-1', body, 'wrong-key-0123456789')).status).toBe(401);
    expect((await place('user-1', body, KEYS.compliance)).status).toBe(403);
    expect((await release('user-1', randomUUID(), body, KEYS.publisher)).status).toBe(403);

    const unknownSubject = await place('user-2', body);
    expect(unknownSubject.status).toBe(404);
    expect(unknownSubject.body.message).toEqual([
      'subjectId: no subject with this id is known to the ledger',
    ]);
    const unknownHold = await release('user-1', randomUUID(), body);
    expect(unknownHold.status).toBe(404);
    expect(unknownHold.body.message).toEqual([
      'holdId: no legal hold with this id on this subject',
    ]);
    // A hold is the subject's own: another subject's id does not release it.
    const placed = await place('user-1', body);
    expect((await release('user-2', placed.body.holdId, body)).status).toBe(404);
    expect((await facts()).map((e) => e.type)).toEqual(['LegalHoldPlaced']);
  }, 60_000);
});
