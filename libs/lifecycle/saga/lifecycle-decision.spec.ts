import { evolveSubject } from '../../domain/subjects/evolve-subject';
import { initialSubjectState, type SubjectState } from '../../domain/subjects/subject-state';
import { stored } from '../../policy/evaluate/testing/history';
import { loadPolicyFile } from '../../policy/load-policy';
import { decideLifecycleAction } from './lifecycle-decision';

const policy = loadPolicyFile();
const stateOf = (...events: ReturnType<typeof stored>[]): SubjectState =>
  events.reduce(evolveSubject, initialSubjectState('subject-under-test'));
const at = (iso: string) => new Date(iso);

/**
 * A client with one invoice whose contract ended in 2020: legal-invoices keeps it active 10
 * years (2029-02-01), then customer-management's 5-year archive counts from there; the
 * saga archived it on time, so it is due for erasure on 2034-02-01.
 */
const client = [
  stored('e1', 'AccountCreated', '2019-01-01T00:00:00Z', { role: 'client' }, [
    ['identification', 'account'],
  ]),
  stored('e2', 'ContractSigned', '2019-01-01T00:00:00Z', { contractId: 'C-1' }),
  stored('e3', 'InvoiceIssued', '2019-02-01T00:00:00Z', { invoiceId: 'INV-7' }, [
    ['billing', 'invoice:INV-7'],
  ]),
  stored('e4', 'ContractEnded', '2020-01-01T00:00:00Z', { contractId: 'C-1' }),
  stored('e5', 'RecordArchived', '2029-02-01T00:00:00Z', {
    recordKey: 'invoice:INV-7',
    category: 'billing',
    policyVersion: '2023-01-24',
    purposes: [],
    dueAt: '2029-02-01T00:00:00.000Z',
    because: [],
  }),
];
const invoice = { recordKey: 'invoice:INV-7', category: 'billing' };

describe('what the saga decides for one record', () => {
  it('nothing before the deadline, nothing for a record the subject does not have', () => {
    const state = stateOf(...client);
    expect(decideLifecycleAction(state, policy, invoice, at('2034-01-31T00:00:00Z'))).toEqual({
      kind: 'nothing',
      why: 'not-due',
    });
    expect(
      decideLifecycleAction(
        state,
        policy,
        { ...invoice, recordKey: 'invoice:X' },
        at('2040-01-01'),
      ),
    ).toEqual({ kind: 'nothing', why: 'unknown-record' });
  });

  it('erases at the end of the last purpose, with the purposes and the events that fixed it', () => {
    const decision = decideLifecycleAction(
      stateOf(...client),
      policy,
      invoice,
      at('2034-02-02T00:00:00Z'),
    );
    expect(decision).toMatchObject({
      kind: 'erase',
      data: {
        recordKey: 'invoice:INV-7',
        category: 'billing',
        policyVersion: '2023-01-24',
        dueAt: '2034-02-01T00:00:00.000Z',
      },
    });
    if (decision.kind !== 'erase') throw new Error('unreachable');
    expect(decision.data.purposes).toEqual(
      expect.arrayContaining(['customer-management', 'collections-litigation', 'legal-invoices']),
    );
    expect(decision.data.because).toEqual(expect.arrayContaining(['e3', 'e4']));
  });

  it('defers while a dispute about that invoice is open, and not for another invoice', () => {
    const disputed = stored('d1', 'DisputeOpened', '2028-01-01T00:00:00Z', {
      disputeId: 'D-1',
      invoiceId: 'INV-7',
    });
    const later = at('2034-02-02T00:00:00Z');
    expect(
      decideLifecycleAction(stateOf(...client, disputed), policy, invoice, later),
    ).toMatchObject({
      kind: 'defer',
      data: { reason: 'dispute', dueAt: '2034-02-01T00:00:00.000Z' },
    });
    const other = stored('d1', 'DisputeOpened', '2028-01-01T00:00:00Z', {
      disputeId: 'D-1',
      invoiceId: 'INV-8',
    });
    expect(decideLifecycleAction(stateOf(...client, other), policy, invoice, later).kind).toBe(
      'erase',
    );
    const closed = stored('d2', 'DisputeClosed', '2028-06-01T00:00:00Z', { disputeId: 'D-1' });
    expect(
      decideLifecycleAction(stateOf(...client, disputed, closed), policy, invoice, later).kind,
    ).toBe('erase');
  });

  it('defers while restricted or under a legal hold; the hold released, it erases', () => {
    const later = at('2034-02-02T00:00:00Z');
    const restricted = stored('r1', 'RightsRequestReceived', '2028-01-01T00:00:00Z', {
      requestId: 'Q-1',
      right: 'restriction',
    });
    expect(
      decideLifecycleAction(stateOf(...client, restricted), policy, invoice, later),
    ).toMatchObject({ kind: 'defer', data: { reason: 'restriction' } });

    const held = stored('h1', 'LegalHoldPlaced', '2028-01-01T00:00:00Z', {
      holdId: 'H-1',
      reason: 'case 12',
    });
    const released = stored('h2', 'LegalHoldReleased', '2029-01-01T00:00:00Z', {
      holdId: 'H-1',
      reason: 'closed',
    });
    expect(decideLifecycleAction(stateOf(...client, held), policy, invoice, later)).toMatchObject({
      kind: 'defer',
      data: { reason: 'legal-hold' },
    });
    // Released before placed in arrival order: the same state.
    expect(
      decideLifecycleAction(stateOf(...client, released, held), policy, invoice, later).kind,
    ).toBe('erase');
  });

  it('asks a member to renew matchmaking, with the answer window of the policy', () => {
    const member = stateOf(
      stored('m1', 'AccountCreated', '2020-01-01T00:00:00Z', { role: 'member' }, [
        ['identification', 'account'],
      ]),
    );
    const decision = decideLifecycleAction(
      member,
      policy,
      { recordKey: 'account', category: 'identification' },
      at('2025-01-05T00:00:00Z'),
    );
    expect(decision).toEqual({
      kind: 'request-renewal',
      data: {
        recordKey: 'account',
        category: 'identification',
        purpose: 'matchmaking',
        policyVersion: '2023-01-24',
        dueAt: '2025-01-01T00:00:00.000Z',
        answerBy: '2025-02-04T00:00:00.000Z',
      },
    });
  });
});
