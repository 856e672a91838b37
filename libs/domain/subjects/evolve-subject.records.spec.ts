import { given } from './testing/given';
import { storedEvent as e } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';
const T3 = '2025-03-15T08:00:00.000Z';
const at = (instant: string, eventId: string) => ({ at: instant, eventId });
const identification = [{ recordKey: 'account', category: 'identification' }];

describe('evolveSubject: records', () => {
  it('dates a record from its first and last collections, with every source', () => {
    given(
      e('AccountCreated', T2, { role: 'member' }, { eventId: 'a', personalData: identification }),
      e(
        'ProspectRegistered',
        T1,
        { origin: 'fair' },
        { eventId: 'b', source: 'crm', personalData: identification },
      ),
      e(
        'ContactMade',
        T3,
        { channel: 'email', direction: 'inbound' },
        { eventId: 'c', personalData: identification },
      ),
    ).then({
      records: {
        'account|identification': {
          recordKey: 'account',
          category: 'identification',
          collectedAt: at(T1, 'b'),
          lastCollectedAt: at(T3, 'c'),
          sources: ['crm', 'marketplace-api'],
        },
      },
    });
  });

  it('keeps one record per record key and category', () => {
    const { state } = given(
      e(
        'AccountCreated',
        T1,
        { role: 'member' },
        {
          personalData: [...identification, { recordKey: 'account', category: 'professional' }],
        },
      ),
      e(
        'InvoiceIssued',
        T2,
        { invoiceId: '7', amount: 10, currency: 'EUR' },
        {
          personalData: [{ recordKey: 'invoice:7', category: 'billing' }],
        },
      ),
    );
    expect(Object.keys(state.records)).toEqual([
      'account|identification',
      'account|professional',
      'invoice:7|billing',
    ]);
  });
});

describe('evolveSubject: record clocks', () => {
  it('dates answers and verifications by record key, with or without personal data', () => {
    given(
      e('InformationRequestAnswered', T1, { requestId: 'Q1' }, { eventId: 'a' }),
      e('InformationRequestAnswered', T2, { requestId: 'Q1' }, { eventId: 'b' }),
      e(
        'IdentityVerified',
        T2,
        { requestId: 'Q2' },
        {
          eventId: 'c',
          personalData: [{ recordKey: 'identity-proof:Q2', category: 'identity-proof' }],
        },
      ),
    ).then({
      recordClocks: {
        'identity-proof:Q2': { verifiedAt: at(T2, 'c') },
        'request:Q1': { answeredAt: at(T2, 'b') },
      },
    });
  });
});

describe('evolveSubject: phases the ledger decided', () => {
  it('archives and erases a record at the earliest decision', () => {
    const decision = {
      recordKey: 'account',
      category: 'identification',
      policyVersion: 'v',
      purposes: [],
      because: [],
    };
    given(
      e('RecordArchived', T2, { ...decision, dueAt: T2 }, { eventId: 'a', source: 'ledger' }),
      e('RecordArchived', T3, { ...decision, dueAt: T2 }, { eventId: 'b', source: 'ledger' }),
      e('RecordErased', T3, { ...decision, dueAt: T3, keyFingerprint: 'ab' }, { eventId: 'c' }),
      e('ErasureDeferred', T3, { ...decision, reason: 'dispute', dueAt: T3 }),
    ).then({
      phases: { 'account|identification': { archived: at(T2, 'a'), erased: at(T3, 'c') } },
    });
  });
});
