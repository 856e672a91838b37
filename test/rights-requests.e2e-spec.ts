import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

/**
 * Rights requests over HTTP: each right does what section 6 of the policy says, the answer
 * says what was done and what was kept and why, and both are events of the subject's stream.
 */
describe('rights requests', () => {
  let ledger: Ledger;
  afterEach(async () => ledger?.close());

  const ask = (subjectId: string, body: unknown, key: string = KEYS.compliance) =>
    ledger.request('POST', `/v1/subjects/${subjectId}/requests`, { key, body });
  const events = async (): Promise<LedgerEventV1[]> =>
    (await ledger.readLog()).map((e) => decodeLedgerEvent(e.data));
  const publish = async (
    type: string,
    occurredAt: string,
    data: object,
    personalData?: object,
    subjectId = 'user-1',
  ) => {
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type,
        subjectId,
        occurredAt,
        source: 'marketplace-api',
        data,
        ...(personalData && { personalData }),
      },
    });
    expect(response.status).toBe(201);
  };
  const retention = async (subjectId = 'user-1') =>
    (await ledger.request('GET', `/v1/subjects/${subjectId}/retention`, { key: KEYS.compliance }))
      .body;

  /** A client with an account, a review, an invoice and a contract, and an open dispute. */
  const aClientInDispute = async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    await publish(
      'AccountCreated',
      '2025-01-10T10:00:00Z',
      { role: 'client' },
      { identification: { email: 'a@b.fr' } },
    );
    await publish(
      'ReviewPosted',
      '2025-01-11T10:00:00Z',
      { reviewId: 'R1' },
      { reviews: { text: 'great' } },
    );
    await publish(
      'InvoiceIssued',
      '2025-01-12T10:00:00Z',
      { invoiceId: 'INV-1', amount: 120, currency: 'EUR' },
      { billing: { address: '1 rue de Paris' } },
    );
    await publish(
      'ContractSigned',
      '2025-01-12T11:00:00Z',
      { contractId: 'C1' },
      { billing: { iban: 'FR76' } },
    );
    await publish('DisputeOpened', '2025-01-13T10:00:00Z', { disputeId: 'D1' });
  };

  it('erases what no legal obligation keeps, keeps the invoice and what the dispute holds, and says why', async () => {
    await aClientInDispute();
    const requestId = randomUUID();
    const answer = await ask('user-1', { right: 'erasure', requestId });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      requestId,
      right: 'erasure',
      receivedAt: '2025-01-15T10:00:00.000Z',
      answerDueBy: '2025-02-15T10:00:00.000Z',
      answeredAt: '2025-01-15T10:00:00.000Z',
      duplicate: false,
    });
    const erased = answer.body.done.filter((d: any) => d.action === 'erased');
    expect(erased.map((d: any) => `${d.recordKey}|${d.category}`).sort()).toEqual([
      'account|identification',
      'review:R1|reviews',
    ]);
    expect(answer.body.kept).toEqual([
      { recordKey: 'contract:C1', category: 'billing', reason: 'dispute' },
      { recordKey: 'invoice:INV-1', category: 'billing', reason: 'legal-obligation' },
    ]);
    expect(answer.body.done).toContainEqual(
      expect.objectContaining({
        action: 'deferred',
        recordKey: 'contract:C1',
        category: 'billing',
      }),
    );

    // Each action is an event; the erasures destroyed the keys first.
    const log = await events();
    const types = log.filter((e) => e.source !== 'marketplace-api').map((e) => e.type);
    expect(types).toEqual([
      'RightsRequestReceived',
      'RecordErased',
      'ErasureDeferred',
      'RecordErased',
      'RightsRequestAnswered',
    ]);
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    const accountKey = log
      .find((e) => e.type === 'AccountCreated')!
      .personalData!.find((p) => p.recordKey === 'account')!.keyId;
    expect(await vault.dataKey(accountKey)).toBeUndefined();
    const invoiceKey = log.find((e) => e.type === 'InvoiceIssued')!.personalData![0].keyId;
    expect(await vault.dataKey(invoiceKey)).toBeDefined();
    const answered = log.find((e) => e.type === 'RightsRequestAnswered')!;
    expect(answered.data).toMatchObject({ requestId, kept: answer.body.kept });
    expect(answer.body.answerEventId).toBe(answered.eventId);

    // The same request again: the same answer, nothing written; another body: 409.
    const again = await ask('user-1', { right: 'erasure', requestId });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...answer.body, duplicate: true });
    const other = await ask('user-1', { right: 'objection', requestId });
    expect(other.status).toBe(409);
    expect((await events()).length).toBe(log.length);

    // Once the dispute is closed, the sweep erases what it held; the invoice stays 10 years.
    ledger.clock.set(new Date('2025-01-20T10:00:00Z'));
    await publish('DisputeClosed', '2025-01-20T10:00:00Z', { disputeId: 'D1' });
    ledger.clock.set(new Date('2025-01-20T10:00:01Z'));
    await ledger.app.get(LifecycleSaga).sweep();
    const records = (await retention()).records;
    const phaseOf = (key: string) => records.find((r: any) => r.recordKey === key)?.phase;
    expect(phaseOf('contract:C1')).toBe('erased');
    expect(phaseOf('invoice:INV-1')).toBe('active');
  }, 60_000);

  it('an objection stops marketing at once; a consent withdrawal stops the consent-based purposes', async () => {
    ledger = await startLedger({ now: '2025-01-15T10:00:00Z' });
    await publish(
      'ProspectRegistered',
      '2025-01-10T10:00:00Z',
      { origin: 'fair' },
      { identification: { email: 'p@b.fr' } },
    );
    await publish('ConsentGiven', '2025-01-10T10:00:00Z', { purpose: 'marketing' });
    const withdrawn = await ask('user-1', { right: 'consent-withdrawal' });
    expect(withdrawn.status).toBe(201);
    expect(withdrawn.body.done[0]).toEqual({ action: 'purposes-stopped', purposes: ['marketing'] });
    const marketing = (await retention()).records
      .find((r: any) => r.recordKey === 'account')
      .purposes.find((p: any) => p.purpose === 'marketing');
    expect(marketing).toMatchObject({
      stoppedBy: 'consentWithdrawn',
      activeUntil: '2025-01-15T10:00:00.000Z',
    });

    const objection = await ask('user-1', { right: 'objection', purposes: ['marketing'] });
    expect(objection.status).toBe(201);
    expect(objection.body.done[0]).toEqual({ action: 'purposes-stopped', purposes: ['marketing'] });
  }, 60_000);

  it('a restriction freezes erasure (kept: restriction); its lifting lets it go', async () => {
    await aClientInDispute();
    await publish('DisputeClosed', '2025-01-14T10:00:00Z', { disputeId: 'D1' });
    expect((await ask('user-1', { right: 'restriction' })).body.done).toEqual([
      { action: 'restricted' },
    ]);
    ledger.clock.set(new Date('2025-01-16T10:00:00Z'));
    const erasure = await ask('user-1', { right: 'erasure' });
    expect(erasure.body.kept).toEqual([
      { recordKey: 'account', category: 'identification', reason: 'restriction' },
      { recordKey: 'contract:C1', category: 'billing', reason: 'restriction' },
      { recordKey: 'invoice:INV-1', category: 'billing', reason: 'legal-obligation' },
      { recordKey: 'review:R1', category: 'reviews', reason: 'restriction' },
    ]);
    ledger.clock.set(new Date('2025-01-17T10:00:00Z'));
    const lifted = await ask('user-1', { right: 'restriction-lifted' });
    expect(lifted.body.done.map((d: any) => d.action)).toEqual([
      'restriction-lifted',
      'erased',
      'erased',
      'erased',
    ]);
  }, 60_000);

  it('access and portability point to the export; rectification destroys the old value only', async () => {
    await aClientInDispute();
    const access = await ask('user-1', { right: 'access' });
    expect(access.body).toMatchObject({
      done: [{ action: 'export-offered' }],
      export: '/v1/subjects/user-1/export',
    });
    const rectified = await ask('user-1', {
      right: 'rectification',
      recordKey: 'account',
      category: 'identification',
    });
    expect(rectified.status).toBe(201);
    expect(rectified.body.done).toEqual([
      {
        action: 'key-destroyed',
        recordKey: 'account',
        category: 'identification',
        keyFingerprints: [expect.stringMatching(/^[0-9a-f]{64}$/)],
      },
    ]);
    // The new value comes as a normal event, under a new key; the record stays active.
    ledger.clock.set(new Date('2025-01-15T11:00:00Z'));
    await publish(
      'LastActivity',
      '2025-01-15T11:00:00Z',
      {},
      { identification: { email: 'new@b.fr' } },
    );
    const log = await events();
    const [oldKey, newKey] = log
      .flatMap((e) => e.personalData ?? [])
      .filter((p) => p.recordKey === 'account' && p.category === 'identification')
      .map((p) => p.keyId);
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    expect(await vault.dataKey(oldKey)).toBeUndefined();
    expect(await vault.dataKey(newKey)).toBeDefined();
    expect((await retention()).records.find((r: any) => r.recordKey === 'account').phase).toBe(
      'active',
    );
  }, 60_000);

  it('refuses bad requests with every problem listed and stores nothing; 404 for an unknown subject', async () => {
    await aClientInDispute();
    const before = (await ledger.readLog()).length;
    const bad = await ask('user-1', {
      right: 'forget',
      purposes: 'marketing',
      requestId: 42,
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^right: must be one of/),
        'purposes: must be an array of at most 50 purpose ids',
        'requestId: must be 1 to 200 printable characters',
        'property extra should not exist',
      ]),
    );
    const unknown = await ask('user-1', {
      right: 'objection',
      purposes: ['marketing', 'astrology'],
      receivedAt: '2030-01-01T00:00:00Z',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toEqual([
      'purposes: astrology is not a purpose of the policy 2023-01-24',
      'receivedAt: must not be in the future',
    ]);
    const noRecord = await ask('user-1', { right: 'rectification' });
    expect(noRecord.body.message).toEqual([
      'recordKey: required for a rectification',
      'category: required for a rectification',
    ]);
    expect((await ask('nobody', { right: 'access' })).status).toBe(404);
    expect((await ask('user-1', { right: 'access' }, KEYS.publisher)).status).toBe(403);
    expect((await ask('user-1', { right: 'access' }, KEYS.auditor)).status).toBe(403);
    expect((await ledger.readLog()).length).toBe(before);
    expect((await ask('user-1', { right: 'access' }, KEYS.admin)).status).toBe(201);
    const { body: openapi } = await ledger.request('GET', '/docs-json');
    expect(Object.keys(openapi.paths)).toContain('/v1/subjects/{subjectId}/requests');
  }, 60_000);

  it('tracks the month to answer from every RightsRequestReceived, published ones too', async () => {
    ledger = await startLedger({ now: '2025-01-31T10:00:00Z' });
    await publish(
      'AccountCreated',
      '2025-01-10T10:00:00Z',
      { role: 'member' },
      { identification: { email: 'a@b.fr' } },
    );
    await publish('RightsRequestReceived', '2025-01-31T10:00:00Z', {
      requestId: 'rr-19',
      right: 'access',
    });
    const overdue = async (at: string) => {
      ledger.clock.set(new Date(at));
      const response = await ledger.request('GET', '/v1/compliance/overdue', {
        key: KEYS.compliance,
      });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
      return response.body.requests;
    };
    // One calendar month, the 31st clamped to February's end: late only after that instant.
    expect(await overdue('2025-02-28T10:00:00Z')).toEqual([]);
    expect(await overdue('2025-02-28T10:00:01Z')).toEqual([
      {
        requestId: 'rr-19',
        subjectId: 'user-1',
        right: 'access',
        receivedAt: '2025-01-31T10:00:00.000Z',
        answerDueBy: '2025-02-28T10:00:00.000Z',
      },
    ]);
    // Answering it through the route, with its id: a late answer, recorded; no longer overdue.
    const other = await ask('user-1', { right: 'erasure', requestId: 'rr-19' });
    expect(other.status).toBe(409);
    const answer = await ask('user-1', { right: 'access', requestId: 'rr-19' });
    expect(answer.body).toMatchObject({
      requestId: 'rr-19',
      receivedAt: '2025-01-31T10:00:00.000Z',
      answerDueBy: '2025-02-28T10:00:00.000Z',
      answeredAt: '2025-02-28T10:00:01.000Z',
      duplicate: false,
    });
    const received = (await events()).filter((e) => e.type === 'RightsRequestReceived');
    expect(received).toHaveLength(1);
    expect(await overdue('2025-03-10T00:00:00Z')).toEqual([]);
  }, 60_000);
});
