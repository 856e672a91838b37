import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

/**
 * The identity proof a rights request needed goes once verified (rights-identity-proof);
 * a death applies the subject's post-mortem directive (art. 40-1 loi Informatique et
 * Libertés): `erase` erases as an erasure request would, `communicate` or none leaves the
 * closed account to its schedule.
 */
describe('identity proofs and post-mortem directives', () => {
  let ledger: Ledger;
  afterEach(async () => ledger?.close());

  const events = async (): Promise<LedgerEventV1[]> =>
    (await ledger.readLog()).map((e) => decodeLedgerEvent(e.data));
  const publish = async (type: string, occurredAt: string, data: object, personalData?: object) => {
    ledger.clock.set(new Date(occurredAt));
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type,
        subjectId: 'user-1',
        occurredAt,
        source: 'marketplace-api',
        data,
        ...(personalData && { personalData }),
      },
    });
    expect(response.status).toBe(201);
  };
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const phases = async () => {
    const response = await ledger.request('GET', '/v1/subjects/user-1/retention', {
      key: KEYS.compliance,
    });
    return Object.fromEntries(
      response.body.records.map((r: any) => [`${r.recordKey}|${r.category}`, r.phase]),
    );
  };
  const aMember = async () => {
    ledger = await startLedger({ now: '2025-01-10T10:00:00Z' });
    await publish(
      'AccountCreated',
      '2025-01-10T10:00:00Z',
      { role: 'member' },
      { identification: { email: 'a@b.fr' } },
    );
    await publish(
      'ReviewPosted',
      '2025-01-11T10:00:00Z',
      { reviewId: 'R1' },
      { reviews: { text: 'ok' } },
    );
    await publish(
      'InvoiceIssued',
      '2025-01-12T10:00:00Z',
      { invoiceId: 'INV-1', amount: 10, currency: 'EUR' },
      { billing: { address: '1 rue de Paris' } },
    );
  };

  it('keeps an identity proof until it is verified, and destroys its key at the first sweep after', async () => {
    await aMember();
    await publish(
      'IdentityProofReceived',
      '2025-02-01T10:00:00Z',
      { requestId: 'rr-1' },
      { 'identity-proof': { document: 'passport 12AB34567' } },
    );
    expect((await sweepAt('2025-02-05T00:00:00Z')).written).toBe(0);
    expect((await phases())['identity-proof:rr-1|identity-proof']).toBe('active');

    await publish('IdentityVerified', '2025-02-06T09:00:00Z', { requestId: 'rr-1' });
    expect(await sweepAt('2025-02-06T09:00:00Z')).toMatchObject({ outcomes: { erased: 1 } });
    const erased = (await events()).filter((e) => e.type === 'RecordErased');
    expect(erased.map((e) => e.data.recordKey)).toEqual(['identity-proof:rr-1']);
    const proofKey = (await events()).find((e) => e.type === 'IdentityProofReceived')!
      .personalData![0].keyId;
    expect(await ledger.app.get<KeyVault>(KEY_VAULT).dataKey(proofKey)).toBeUndefined();
  }, 60_000);

  it('a death under an `erase` directive erases what no legal obligation keeps', async () => {
    await aMember();
    await publish('PostMortemDirectiveRecorded', '2025-03-01T10:00:00Z', { directive: 'erase' });
    // The directive alone changes nothing while the person lives.
    expect((await sweepAt('2025-03-02T00:00:00Z')).written).toBe(0);
    await publish('AccountClosed', '2025-06-01T10:00:00Z', { reason: 'deceased' });
    await sweepAt('2025-06-01T10:00:00Z');
    expect(await phases()).toEqual({
      'account|identification': 'erased',
      'review:R1|reviews': 'erased',
      'invoice:INV-1|billing': 'active',
    });
  }, 60_000);

  it('a death under a `communicate` directive, or none, closes the account on its schedule', async () => {
    await aMember();
    await publish('PostMortemDirectiveRecorded', '2025-03-01T10:00:00Z', { directive: 'erase' });
    // The latest directive decides.
    await publish('PostMortemDirectiveRecorded', '2025-04-01T10:00:00Z', {
      directive: 'communicate',
      beneficiaryId: 'user-2',
    });
    await publish('AccountClosed', '2025-06-01T10:00:00Z', { reason: 'deceased' });
    await sweepAt('2025-06-01T10:00:00Z');
    // Closed, not erased: matchmaking keeps the account 3 years, the review 3 years too.
    expect(await phases()).toEqual({
      'account|identification': 'active',
      'review:R1|reviews': 'active',
      'invoice:INV-1|billing': 'active',
    });
  }, 60_000);
});
