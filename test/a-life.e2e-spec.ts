import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { verifyCertificate } from '../libs/audit/certificate/verify-certificate';
import { leafHash, verifyInclusion } from '../libs/audit/merkle';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const SUBJECT = 'client-lina-7';
const EMAIL = 'lina.martin@example.fr';
const REVIEW = 'Accompagnement très utile pour nos stagiaires';
const ADDRESS = '12 rue des Lilas, 69003 Lyon';

jest.setTimeout(120_000);

/**
 * Issue 6 point 7: one client's life over HTTP, on a simulated clock. Signup, activity,
 * contacts, a review, an invoice, an objection, an erasure request while a dispute is open,
 * the dispute closed, years of inactivity, the final erasure; at each step the retention
 * schedule, the export and the proofs are what the policy says they should be.
 */
describe('a life, end to end', () => {
  let ledger: Ledger;
  afterAll(() => ledger?.close());

  const at = (instant: string) => ledger.clock.set(new Date(instant));
  const publish = async (type: string, data: object, personalData?: object) => {
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type,
        subjectId: SUBJECT,
        occurredAt: ledger.clock.now().toISOString(),
        source: 'marketplace-api',
        data,
        ...(personalData ? { personalData } : {}),
      },
    });
    expect({ type, status: response.status }).toEqual({ type, status: 201 });
  };
  const ask = async (body: object) => {
    const response = await ledger.request('POST', `/v1/subjects/${SUBJECT}/requests`, {
      key: KEYS.compliance,
      body: { requestId: randomUUID(), ...body },
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const schedule = async () =>
    (await ledger.request('GET', `/v1/subjects/${SUBJECT}/retention`, { key: KEYS.compliance }))
      .body;
  const phases = async () =>
    Object.fromEntries(
      (await schedule()).records.map(
        (r: { recordKey: string; category: string; phase: string }) => [
          `${r.recordKey}|${r.category}`,
          r.phase,
        ],
      ),
    );
  const exported = async () =>
    ledger.request('GET', `/v1/subjects/${SUBJECT}/export`, { key: KEYS.compliance });
  const sweep = () => ledger.app.get(LifecycleSaga).sweep();
  /** Every erasure listed so far, each with a certificate that verifies with the key alone. */
  const provenErasures = async () => {
    const { body: key } = await ledger.request('GET', '/v1/audit/public-key', {
      key: KEYS.auditor,
    });
    const list = await ledger.request('GET', '/v1/compliance/erasures?limit=1000', {
      key: KEYS.auditor,
    });
    expect(list.status).toBe(200);
    const erased = list.body.items.filter((i: { type: string }) => i.type === 'RecordErased');
    for (const item of erased) {
      const leaves = await ledger.request(
        'GET',
        `/v1/audit/leaves?start=${item.leafIndex}&end=${BigInt(item.leafIndex) + 1n}`,
        { key: KEYS.auditor },
      );
      expect(
        verifyInclusion(
          BigInt(item.leafIndex),
          BigInt(item.inclusion.treeSize),
          leafHash(Buffer.from(leaves.body.leaves[0].leaf, 'base64')),
          item.inclusion.hashes.map((h: string) => Buffer.from(h, 'base64')),
          Buffer.from(item.inclusion.rootHash, 'base64'),
        ),
      ).toBe(true);
      const certificate = await ledger.request('GET', `/v1/compliance/erasures/${item.eventId}`, {
        key: KEYS.auditor,
      });
      const verdict = verifyCertificate(certificate.body, key.verifierKey);
      expect({ eventId: item.eventId, problems: verdict.problems }).toEqual({
        eventId: item.eventId,
        problems: [],
      });
      const text = JSON.stringify(certificate.body);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(SUBJECT);
    }
    return erased.map((i: { category: string }) => i.category).sort();
  };

  it('keeps, erases and proves what the policy says, step by step', async () => {
    ledger = await startLedger({ now: '2024-01-10T09:00:00Z' });

    // Signup, a contract, activity, contacts, a review, an invoice.
    await publish('AccountCreated', { role: 'client' }, { identification: { email: EMAIL } });
    await publish('ContractSigned', { contractId: 'C1' }, { billing: { iban: 'FR76 3000' } });
    at('2024-01-15T10:00:00Z');
    await publish('LastActivity', {});
    await publish('ContactMade', { channel: 'email', direction: 'inbound' });
    await publish('ReviewPosted', { reviewId: 'R1' }, { reviews: { text: REVIEW } });
    at('2024-02-01T10:00:00Z');
    await publish(
      'InvoiceIssued',
      { invoiceId: 'INV-1', amount: 1200, currency: 'EUR' },
      { billing: { address: ADDRESS } },
    );
    expect(await phases()).toEqual({
      'account|identification': 'active',
      'contract:C1|billing': 'active',
      'invoice:INV-1|billing': 'active',
      'review:R1|reviews': 'active',
    });
    const early = await exported();
    expect(early.status).toBe(200);
    const earlyText = JSON.stringify(early.body);
    for (const value of [EMAIL, REVIEW, ADDRESS]) expect(earlyText).toContain(value);
    expect(await provenErasures()).toEqual([]);

    // An objection: marketing stops at once, the objection itself is kept three years.
    at('2024-03-01T10:00:00Z');
    const objection = await ask({ right: 'objection' });
    expect(objection.right).toBe('objection');
    expect(objection.answerDueBy).toBe('2024-04-01T10:00:00.000Z');

    // A dispute over the billing, then an erasure request while it is open.
    at('2024-04-01T10:00:00Z');
    await publish('DisputeOpened', { disputeId: 'D1' });
    at('2024-04-02T10:00:00Z');
    const erasure = await ask({ right: 'erasure' });
    const erasedNow = erasure.done
      .filter((d: { action: string }) => d.action === 'erased')
      .map((d: { recordKey: string }) => d.recordKey)
      .sort();
    expect(erasedNow).toEqual(['account', 'review:R1']);
    expect(erasure.kept).toEqual(
      expect.arrayContaining([
        { recordKey: 'contract:C1', category: 'billing', reason: 'dispute' },
        { recordKey: 'invoice:INV-1', category: 'billing', reason: 'legal-obligation' },
      ]),
    );
    const afterRequest = await phases();
    expect(afterRequest).toMatchObject({
      'account|identification': 'erased',
      'review:R1|reviews': 'erased',
      'invoice:INV-1|billing': 'active',
      'contract:C1|billing': 'active',
    });
    // The export shows the erased records as erased, without content; the invoice in full.
    const middle = await exported();
    expect(middle.status).toBe(200);
    const middleText = JSON.stringify(middle.body);
    expect(middleText).not.toContain(EMAIL);
    expect(middleText).not.toContain(REVIEW);
    expect(middleText).toContain(ADDRESS);
    expect(await provenErasures()).toEqual(['identification', 'reviews']);

    // The dispute closes: the next sweep erases what it held.
    at('2024-06-01T10:00:00Z');
    await publish('DisputeClosed', { disputeId: 'D1' });
    at('2024-06-02T10:00:00Z');
    await sweep();
    expect(await phases()).toMatchObject({ 'contract:C1|billing': 'erased' });
    expect(await provenErasures()).toEqual(['billing', 'identification', 'reviews']);

    // Years without a word: the invoice is kept its ten years, then erased, the last record.
    at('2030-01-01T00:00:00Z');
    await sweep();
    expect(await phases()).toMatchObject({ 'invoice:INV-1|billing': 'active' });
    at('2035-01-01T00:00:00Z');
    await sweep();
    const erasedAtLast = await provenErasures();
    expect(erasedAtLast.filter((c: string) => c === 'billing')).toHaveLength(2);
    // The last record gone, so is the link to the platform's id: the ledger no longer knows
    // the person, and says so.
    expect((await exported()).status).toBe(404);
    expect(
      (await ledger.request('GET', `/v1/subjects/${SUBJECT}/retention`, { key: KEYS.compliance }))
        .status,
    ).toBe(404);
    // Nothing in the log says it in clear: values were sealed, under keys now destroyed.
    const all = (await ledger.readLog()).map((e) => Buffer.from(e.data).toString()).join('\n');
    for (const value of [EMAIL, REVIEW, ADDRESS, SUBJECT]) expect(all).not.toContain(value);
  });
});
