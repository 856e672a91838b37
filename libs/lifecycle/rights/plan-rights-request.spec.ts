import { evolveSubject } from '../../domain/subjects/evolve-subject';
import { initialSubjectState, type SubjectState } from '../../domain/subjects/subject-state';
import { stored } from '../../policy/evaluate/testing/history';
import { loadPolicyFile } from '../../policy/load-policy';
import { answerDueBy, planRightsRequest, type RightsRequest } from './plan-rights-request';

const policy = loadPolicyFile();
const stateOf = (...events: ReturnType<typeof stored>[]): SubjectState =>
  events.reduce(evolveSubject, initialSubjectState('subject-under-test'));
const at = (iso: string) => new Date(iso);

/** A client: an account, a review, an invoice, a contract's billing data, a transaction. */
const client = [
  stored('e1', 'AccountCreated', '2025-01-10T10:00:00Z', { role: 'client' }, [
    ['identification', 'account'],
  ]),
  stored('e2', 'ReviewPosted', '2025-01-11T10:00:00Z', { reviewId: 'R1' }, [
    ['reviews', 'review:R1'],
  ]),
  stored('e3', 'InvoiceIssued', '2025-01-12T10:00:00Z', { invoiceId: 'INV-1' }, [
    ['billing', 'invoice:INV-1'],
  ]),
  stored('e4', 'ContractSigned', '2025-01-12T11:00:00Z', { contractId: 'C1' }, [
    ['billing', 'contract:C1'],
  ]),
  stored('e5', 'TransactionRecorded', '2025-01-12T12:00:00Z', { transactionId: 'T1' }, [
    ['transactions', 'transaction:T1'],
  ]),
];
const request = (right: RightsRequest['right'], extra: Partial<RightsRequest> = {}) => {
  const asked: RightsRequest = {
    requestId: 'rr-1',
    right,
    receivedAt: '2025-01-15T10:00:00.000Z',
    ...extra,
  };
  const event = stored('rr', 'RightsRequestReceived', asked.receivedAt, {
    requestId: asked.requestId,
    right,
    ...(asked.purposes && { purposes: asked.purposes }),
  });
  return { asked, event };
};
const ids = (refs: readonly { recordKey: string; category: string }[]) =>
  refs.map((r) => `${r.recordKey}|${r.category}`);

describe('an erasure request (art. 17)', () => {
  it('erases at once what rests on consent, legitimate interest or the contract', () => {
    const { asked, event } = request('erasure');
    const plan = planRightsRequest(stateOf(...client, event), policy, asked, at(asked.receivedAt));
    expect(ids(plan.due)).toEqual([
      'account|identification',
      'contract:C1|billing',
      'review:R1|reviews',
    ]);
  });

  it('keeps what a legal obligation keeps: the invoice (10 years), the transaction (5 years)', () => {
    const { asked, event } = request('erasure');
    const plan = planRightsRequest(stateOf(...client, event), policy, asked, at(asked.receivedAt));
    expect(plan.kept).toEqual([
      { recordKey: 'invoice:INV-1', category: 'billing', reason: 'legal-obligation' },
      { recordKey: 'transaction:T1', category: 'transactions', reason: 'legal-obligation' },
    ]);
  });

  it('keeps, and says so, what an open dispute holds; the invoice stays a legal obligation', () => {
    const dispute = stored('d1', 'DisputeOpened', '2025-01-13T10:00:00Z', { disputeId: 'D1' });
    const { asked, event } = request('erasure');
    const plan = planRightsRequest(
      stateOf(...client, dispute, event),
      policy,
      asked,
      at(asked.receivedAt),
    );
    expect(plan.kept).toContainEqual({
      recordKey: 'contract:C1',
      category: 'billing',
      reason: 'dispute',
    });
    expect(plan.kept).toContainEqual({
      recordKey: 'invoice:INV-1',
      category: 'billing',
      reason: 'legal-obligation',
    });
  });

  it('keeps everything a restriction freezes, with the restriction as the reason', () => {
    const restriction = stored('r1', 'RightsRequestReceived', '2025-01-14T10:00:00Z', {
      requestId: 'rr-0',
      right: 'restriction',
    });
    const { asked, event } = request('erasure');
    const plan = planRightsRequest(
      stateOf(...client, restriction, event),
      policy,
      asked,
      at(asked.receivedAt),
    );
    expect(plan.kept.filter((k) => k.reason === 'restriction').map((k) => k.recordKey)).toEqual([
      'account',
      'contract:C1',
      'review:R1',
    ]);
  });

  it('erases an archived record too: its archive kept it for the contract, not for the law', () => {
    const member = [
      stored('m1', 'AccountCreated', '2020-01-01T00:00:00Z', { role: 'member' }, [
        ['usage', 'account'],
      ]),
      stored('m2', 'AccountClosed', '2021-01-01T00:00:00Z', { reason: 'user-request' }),
      stored('m3', 'RecordArchived', '2021-01-01T00:00:00Z', {
        recordKey: 'account',
        category: 'usage',
        policyVersion: '2023-01-24',
        purposes: ['platform-access'],
        dueAt: '2021-01-01T00:00:00.000Z',
        because: [],
      }),
    ];
    const { asked, event } = request('erasure');
    const plan = planRightsRequest(stateOf(...member, event), policy, asked, at(asked.receivedAt));
    expect(ids(plan.due)).toEqual(['account|usage']);
    expect(plan.kept).toEqual([]);
  });

  it('does not concern data collected after it: a subject who comes back starts afresh', () => {
    const { asked, event } = request('erasure');
    const later = stored('e9', 'ReviewPosted', '2025-03-01T10:00:00Z', { reviewId: 'R2' }, [
      ['reviews', 'review:R2'],
    ]);
    const plan = planRightsRequest(
      stateOf(...client, event, later),
      policy,
      asked,
      at('2025-03-02'),
    );
    expect(ids(plan.due)).not.toContain('review:R2|reviews');
  });
});

describe('the other rights', () => {
  it('an objection names what it stops: marketing when it names nothing', () => {
    const { asked, event } = request('objection');
    const plan = planRightsRequest(stateOf(...client, event), policy, asked, at(asked.receivedAt));
    expect(plan.steps).toEqual([{ action: 'purposes-stopped', purposes: ['marketing'] }]);
    expect(plan.kept).toEqual([]);
  });

  it('a consent withdrawal naming nothing stops every purpose resting on consent for the role', () => {
    const prospect = stored('p1', 'ProspectRegistered', '2025-01-10T10:00:00Z', { origin: 'x' }, [
      ['identification', 'account'],
    ]);
    const { asked, event } = request('consent-withdrawal');
    const plan = planRightsRequest(stateOf(prospect, event), policy, asked, at(asked.receivedAt));
    expect(plan.steps).toEqual([{ action: 'purposes-stopped', purposes: ['marketing'] }]);
  });

  it('access and portability are answered by the export, and change nothing', () => {
    for (const right of ['access', 'portability'] as const) {
      const { asked, event } = request(right);
      const plan = planRightsRequest(
        stateOf(...client, event),
        policy,
        asked,
        at(asked.receivedAt),
      );
      expect(plan).toEqual({ steps: [{ action: 'export-offered' }], due: [], kept: [] });
    }
  });
});

describe('the answer deadline (art. 12(3))', () => {
  it('is one calendar month after receipt, the end of the month clamped, in UTC', () => {
    expect(answerDueBy('2025-01-15T10:00:00.000Z')).toBe('2025-02-15T10:00:00.000Z');
    expect(answerDueBy('2025-01-31T23:30:00.000Z')).toBe('2025-02-28T23:30:00.000Z');
    expect(answerDueBy('2024-01-31T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
  });
});
