import { loadPolicyFile } from '../load-policy';
import { purposeOf, recordOf, scheduleOf, stored } from './testing/history';

/** One case per row of shared/spec/retention-policy.md, on the bundled 2023-01-24 policy. */
const policy = loadPolicyFile();
const schedule = (...events: Parameters<typeof stored>[]) =>
  scheduleOf(
    policy,
    events.map((e) => stored(...e)),
  );
const Z = (date: string) => new Date(date).toISOString();

describe('the 2023-01-24 policy, row by row', () => {
  it('platform-access: 2 years after the last activity, then 5 years of archive', () => {
    const s = schedule(
      [
        'created',
        'AccountCreated',
        '2024-03-01T10:00:00Z',
        { role: 'member' },
        [['identification', 'account']],
      ],
      ['active', 'LastActivity', '2024-06-01T08:00:00Z'],
    );
    const access = purposeOf(recordOf(s, 'account', 'identification'), 'platform-access')!;
    expect(access).toMatchObject({
      legalBasis: 'contract',
      activeUntil: Z('2026-06-01T08:00:00Z'),
      archiveUntil: Z('2031-06-01T08:00:00Z'),
      then: 'erase',
      because: [{ clock: 'lastActivity', at: Z('2024-06-01T08:00:00Z'), eventId: 'active' }],
    });
  });

  it('platform-access: the account closing first ends it', () => {
    const s = schedule(
      [
        'created',
        'AccountCreated',
        '2024-03-01T10:00:00Z',
        { role: 'ambassador' },
        [['professional', 'account']],
      ],
      ['closed', 'AccountClosed', '2025-01-10T00:00:00Z', { reason: 'user-request' }],
    );
    const access = purposeOf(recordOf(s, 'account', 'professional'), 'platform-access')!;
    expect(access.activeUntil).toBe(Z('2025-01-10T00:00:00Z'));
    expect(access.because).toEqual([
      { clock: 'accountClosed', at: Z('2025-01-10T00:00:00Z'), eventId: 'closed' },
    ]);
  });

  it('customer-management: no deadline while the contract runs; its end, then 5 years', () => {
    const running = schedule(
      [
        'created',
        'AccountCreated',
        '2024-01-01T00:00:00Z',
        { role: 'client' },
        [['identification', 'account']],
      ],
      ['signed', 'ContractSigned', '2024-01-01T00:00:00Z', { contractId: 'C1' }],
    );
    const open = purposeOf(recordOf(running, 'account', 'identification'), 'customer-management')!;
    expect(open.activeUntil).toBeNull();
    expect(recordOf(running, 'account', 'identification').activeUntil).toBeNull();

    const ended = schedule(
      [
        'created',
        'AccountCreated',
        '2024-01-01T00:00:00Z',
        { role: 'client' },
        [['identification', 'account']],
      ],
      ['signed', 'ContractSigned', '2024-01-01T00:00:00Z', { contractId: 'C1' }],
      ['ended', 'ContractEnded', '2025-01-01T00:00:00Z', { contractId: 'C1' }],
    );
    const customer = purposeOf(
      recordOf(ended, 'account', 'identification'),
      'customer-management',
    )!;
    expect(customer.activeUntil).toBe(Z('2025-01-01T00:00:00Z'));
    expect(customer.because).toEqual([
      { clock: 'contractsEnded', at: Z('2025-01-01T00:00:00Z'), eventId: 'ended' },
    ]);
  });

  it('member-file: a prospect is kept 3 years after the last contact, then erased', () => {
    const s = schedule(
      [
        'prospect',
        'ProspectRegistered',
        '2024-02-01T09:00:00Z',
        { origin: 'fair' },
        [['identification', 'account']],
      ],
      ['call', 'ContactMade', '2024-05-02T09:00:00Z', { channel: 'phone', direction: 'outbound' }],
    );
    const file = purposeOf(recordOf(s, 'account', 'identification'), 'member-file')!;
    expect(file).toMatchObject({
      activeUntil: Z('2027-05-02T09:00:00Z'),
      then: 'erase',
      legalBasis: 'legitimate-interest',
    });
    expect(file.archiveUntil).toBeUndefined();
  });

  it('matchmaking: members are asked to renew 3 years after the account ends', () => {
    const s = schedule(
      [
        'created',
        'AccountCreated',
        '2024-03-01T10:00:00Z',
        { role: 'member' },
        [['identification', 'account']],
      ],
      ['closed', 'AccountClosed', '2024-09-01T10:00:00Z', { reason: 'user-request' }],
    );
    const record = recordOf(s, 'account', 'identification');
    expect(purposeOf(record, 'matchmaking')).toMatchObject({
      activeUntil: Z('2027-09-01T10:00:00Z'),
      then: 'request-renewal',
    });
    expect(record.nextAction).toEqual({
      action: 'request-renewal',
      dueAt: Z('2027-09-01T10:00:00Z'),
      purpose: 'matchmaking',
    });
  });

  it('matchmaking: renewal accepted runs 3 more years; refused or unanswered in 30 days, erase', () => {
    const base: Parameters<typeof stored>[] = [
      [
        'created',
        'AccountCreated',
        '2024-03-01T10:00:00Z',
        { role: 'member' },
        [['identification', 'account']],
      ],
      ['closed', 'AccountClosed', '2024-09-01T10:00:00Z', { reason: 'user-request' }],
      [
        'asked',
        'RenewalRequested',
        '2027-09-01T10:00:00Z',
        { purpose: 'matchmaking', recordKey: 'account', category: 'identification' },
      ],
    ];
    const waiting = purposeOf(
      recordOf(schedule(...base), 'account', 'identification'),
      'matchmaking',
    )!;
    expect(waiting.activeUntil).toBe(Z('2027-09-01T10:00:00Z'));

    const accepted = schedule(...base, [
      'yes',
      'RenewalAnswered',
      '2027-09-10T10:00:00Z',
      { purpose: 'matchmaking', accepted: true },
    ]);
    expect(
      purposeOf(recordOf(accepted, 'account', 'identification'), 'matchmaking')!.activeUntil,
    ).toBe(Z('2030-09-10T10:00:00Z'));

    const ambassador = schedule(
      [
        'created',
        'AccountCreated',
        '2024-03-01T10:00:00Z',
        { role: 'ambassador' },
        [['identification', 'account']],
      ],
      ['closed', 'AccountClosed', '2024-09-01T10:00:00Z', { reason: 'user-request' }],
    );
    expect(purposeOf(recordOf(ambassador, 'account', 'identification'), 'matchmaking')!.then).toBe(
      'erase',
    );
  });

  it('activity-reports: 3 years after collection', () => {
    const s = schedule([
      'shared',
      'ReportShared',
      '2024-04-15T12:00:00Z',
      { reportId: 'R1', recipientType: 'school', recipientId: 'S1' },
      [['usage', 'report:R1']],
    ]);
    expect(purposeOf(recordOf(s, 'report:R1', 'usage'), 'activity-reports')!.activeUntil).toBe(
      Z('2027-04-15T12:00:00Z'),
    );
  });

  it('fraud-prevention: conversations, 3 years after the last activity', () => {
    const s = schedule(
      ['created', 'AccountCreated', '2024-01-01T00:00:00Z', { role: 'member' }],
      [
        'talk',
        'ContactMade',
        '2024-02-01T00:00:00Z',
        { channel: 'platform', direction: 'inbound' },
        [['conversations', 'conversations']],
      ],
      ['active', 'LastActivity', '2024-03-01T00:00:00Z'],
    );
    const record = recordOf(s, 'conversations', 'conversations');
    expect(purposeOf(record, 'fraud-prevention')!.activeUntil).toBe(Z('2027-03-01T00:00:00Z'));
    expect(record.nextAction).toEqual({ action: 'erase', dueAt: Z('2027-03-01T00:00:00Z') });
  });

  it('marketing: 3 years after the last contact, then ask; consent withdrawn stops it at once', () => {
    const asked = schedule(
      [
        'prospect',
        'ProspectRegistered',
        '2024-02-01T09:00:00Z',
        { origin: 'web' },
        [['identification', 'account']],
      ],
      ['consent', 'ConsentGiven', '2024-02-01T09:00:00Z', { purpose: 'marketing' }],
    );
    expect(purposeOf(recordOf(asked, 'account', 'identification'), 'marketing')).toMatchObject({
      legalBasis: 'consent',
      activeUntil: Z('2027-02-01T09:00:00Z'),
      then: 'request-renewal',
    });
    const withdrawn = schedule(
      [
        'prospect',
        'ProspectRegistered',
        '2024-02-01T09:00:00Z',
        { origin: 'web' },
        [['identification', 'account']],
      ],
      ['consent', 'ConsentGiven', '2024-02-01T09:00:00Z', { purpose: 'marketing' }],
      ['withdrawn', 'ConsentWithdrawn', '2024-07-01T09:00:00Z', { purpose: 'marketing' }],
    );
    expect(purposeOf(recordOf(withdrawn, 'account', 'identification'), 'marketing')).toMatchObject({
      activeUntil: Z('2024-07-01T09:00:00Z'),
      then: 'erase',
      stoppedBy: 'consentWithdrawn',
    });
  });

  it('statistics: a month of visits, 14 months after its earliest collection', () => {
    const s = schedule(
      ['v1', 'VisitRecorded', '2025-03-31T23:00:00Z', {}, [['navigation', 'visits:2025-03']]],
      ['v0', 'VisitRecorded', '2025-03-02T08:00:00Z', {}, [['navigation', 'visits:2025-03']]],
    );
    const stats = purposeOf(recordOf(s, 'visits:2025-03', 'navigation'), 'statistics')!;
    expect(stats.activeUntil).toBe(Z('2026-05-02T08:00:00Z'));
    expect(stats.because).toEqual([
      { clock: 'collectedAt', at: Z('2025-03-02T08:00:00Z'), eventId: 'v0' },
    ]);
  });

  it('reviews: 3 years after the account ends; after the last contact without an account', () => {
    const member = schedule(
      ['created', 'AccountCreated', '2024-01-01T00:00:00Z', { role: 'member' }],
      [
        'review',
        'ReviewPosted',
        '2024-02-01T00:00:00Z',
        { reviewId: 'R3' },
        [['reviews', 'review:R3']],
      ],
      ['closed', 'AccountClosed', '2024-06-01T00:00:00Z', { reason: 'user-request' }],
    );
    expect(purposeOf(recordOf(member, 'review:R3', 'reviews'), 'reviews')!.activeUntil).toBe(
      Z('2027-06-01T00:00:00Z'),
    );
    const visitor = schedule(
      [
        'review',
        'ReviewPosted',
        '2024-02-01T00:00:00Z',
        { reviewId: 'R4' },
        [['reviews', 'review:R4']],
      ],
      ['mail', 'ContactMade', '2024-03-01T00:00:00Z', { channel: 'email', direction: 'inbound' }],
    );
    expect(purposeOf(recordOf(visitor, 'review:R4', 'reviews'), 'reviews')!.activeUntil).toBe(
      Z('2027-03-01T00:00:00Z'),
    );
  });

  it('collections-litigation, legal-invoices: an invoice is kept 10 years, its collection 5 years of archive after the contract', () => {
    const s = schedule(
      ['created', 'AccountCreated', '2024-01-01T00:00:00Z', { role: 'client' }],
      ['signed', 'ContractSigned', '2024-01-01T00:00:00Z', { contractId: 'C1' }],
      [
        'invoice',
        'InvoiceIssued',
        '2024-02-29T10:00:00Z',
        { invoiceId: 'INV-7', amount: 10, currency: 'EUR' },
        [['billing', 'invoice:INV-7']],
      ],
      ['ended', 'ContractEnded', '2025-01-01T00:00:00Z', { contractId: 'C1' }],
    );
    const invoice = recordOf(s, 'invoice:INV-7', 'billing');
    expect(purposeOf(invoice, 'legal-invoices')).toMatchObject({
      activeUntil: Z('2034-02-28T10:00:00Z'),
      legalBasis: 'legal-obligation',
    });
    expect(purposeOf(invoice, 'collections-litigation')!.activeUntil).toBe(
      Z('2025-01-01T00:00:00Z'),
    );
    expect(invoice.activeUntil).toBe(Z('2034-02-28T10:00:00Z'));
  });

  it('bug-analysis: 13 months after collection', () => {
    const s = schedule([
      'bug',
      'BugReported',
      '2025-01-31T10:00:00Z',
      { reportId: 'B9' },
      [['usage', 'bug:B9']],
    ]);
    expect(purposeOf(recordOf(s, 'bug:B9', 'usage'), 'bug-analysis')!.activeUntil).toBe(
      Z('2026-02-28T10:00:00Z'),
    );
  });

  it('information-requests: until the request is answered', () => {
    const open = schedule([
      'asked',
      'InformationRequested',
      '2025-01-05T10:00:00Z',
      { requestId: 'Q2' },
      [['requests', 'request:Q2']],
    ]);
    expect(recordOf(open, 'request:Q2', 'requests').nextAction).toBeNull();
    const answered = schedule(
      [
        'asked',
        'InformationRequested',
        '2025-01-05T10:00:00Z',
        { requestId: 'Q2' },
        [['requests', 'request:Q2']],
      ],
      ['answered', 'InformationRequestAnswered', '2025-01-09T10:00:00Z', { requestId: 'Q2' }],
    );
    expect(recordOf(answered, 'request:Q2', 'requests').nextAction).toEqual({
      action: 'erase',
      dueAt: Z('2025-01-09T10:00:00Z'),
    });
  });

  it('legal-transactions: 5 years after the transaction', () => {
    const s = schedule([
      'tx',
      'TransactionRecorded',
      '2024-02-29T10:00:00Z',
      { transactionId: 'T1', amount: 5, currency: 'EUR' },
      [['transactions', 'transaction:T1']],
    ]);
    expect(
      purposeOf(recordOf(s, 'transaction:T1', 'transactions'), 'legal-transactions')!.activeUntil,
    ).toBe(Z('2029-02-28T10:00:00Z'));
  });

  it('rights-identity-proof: erased once identity is verified', () => {
    const s = schedule(
      [
        'proof',
        'IdentityProofReceived',
        '2025-01-05T10:00:00Z',
        { requestId: 'Q3' },
        [['identity-proof', 'identity-proof:Q3']],
      ],
      ['verified', 'IdentityVerified', '2025-01-06T10:00:00Z', { requestId: 'Q3' }],
    );
    expect(recordOf(s, 'identity-proof:Q3', 'identity-proof').nextAction).toEqual({
      action: 'erase',
      dueAt: Z('2025-01-06T10:00:00Z'),
    });
  });

  it('rights-objection: the objection itself is kept 3 years', () => {
    const s = schedule([
      'objected',
      'RightsRequestReceived',
      '2025-01-05T10:00:00Z',
      { requestId: 'Q4', right: 'objection' },
      [['consent', 'objection:Q4']],
    ]);
    expect(purposeOf(recordOf(s, 'objection:Q4', 'consent'), 'rights-objection')!.activeUntil).toBe(
      Z('2028-01-05T10:00:00Z'),
    );
  });
});

describe('the later of two ends', () => {
  it('is not known while either is not: a client with a running contract keeps its member file', () => {
    const s = schedule(
      [
        'created',
        'AccountCreated',
        '2024-01-01T00:00:00Z',
        { role: 'client' },
        [['identification', 'account']],
      ],
      ['signed', 'ContractSigned', '2024-01-01T00:00:00Z', { contractId: 'C1' }],
    );
    expect(
      purposeOf(recordOf(s, 'account', 'identification'), 'member-file')!.activeUntil,
    ).toBeNull();
  });
});

describe('an archived record that later facts keep longer', () => {
  it('keeps its archive after the purpose that runs longest, and is erased only when every purpose is out', () => {
    const s = schedule(
      [
        'invoice',
        'InvoiceIssued',
        '2020-01-01T00:00:00Z',
        { invoiceId: '1', amount: 0, currency: 'EUR' },
        [['billing', 'invoice:1']],
      ],
      [
        'archived',
        'RecordArchived',
        '2024-02-29T12:00:00Z',
        {
          recordKey: 'invoice:1',
          category: 'billing',
          policyVersion: '2023-01-24',
          purposes: [],
          dueAt: '2024-02-29T12:00:00Z',
          because: [],
        },
      ],
      ['back', 'LastActivity', '2027-02-28T12:00:00Z'],
    );
    const invoice = recordOf(s, 'invoice:1', 'billing');
    const collections = purposeOf(invoice, 'collections-litigation')!;
    expect(collections.archiveUntil! >= collections.activeUntil!).toBe(true);
    expect(invoice.nextAction).toEqual({ action: 'erase', dueAt: collections.archiveUntil });
    expect(invoice.nextAction!.dueAt >= purposeOf(invoice, 'legal-invoices')!.activeUntil!).toBe(
      true,
    );
  });
});
