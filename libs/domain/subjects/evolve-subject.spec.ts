import { evolveSubject } from './evolve-subject';
import { initialSubjectState } from './subject-state';
import { given } from './testing/given';
import { storedEvent as e, TEST_SUBJECT } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';
const T3 = '2025-03-15T08:00:00.000Z';
const at = (instant: string, eventId: string) => ({ at: instant, eventId });

describe('evolveSubject: subject clocks', () => {
  it('starts the account at the earliest creation, which counts as activity', () => {
    given(
      e('AccountCreated', T2, { role: 'member' }, { eventId: 'b' }),
      e('AccountCreated', T1, { role: 'client' }, { eventId: 'a' }),
    ).then({
      account: { ...at(T1, 'a'), role: 'client' },
      clocks: { accountCreated: at(T1, 'a'), lastActivity: at(T2, 'b') },
    });
  });

  it('moves last activity forward only, with platform conversations counting as activity', () => {
    given(
      e('LastActivity', T2, {}, { eventId: 'a' }),
      e('LastActivity', T1, {}, { eventId: 'b' }),
      e('ContactMade', T3, { channel: 'platform', direction: 'inbound' }, { eventId: 'c' }),
    ).then({ clocks: { lastActivity: at(T3, 'c'), lastContact: at(T3, 'c') } });
  });

  it('does not count a contact outside the platform as activity', () => {
    given(
      e('LastActivity', T1, {}, { eventId: 'a' }),
      e('ContactMade', T2, { channel: 'email', direction: 'outbound' }, { eventId: 'b' }),
    ).then({ clocks: { lastActivity: at(T1, 'a'), lastContact: at(T2, 'b') } });
  });

  it('closes the account at the earliest closing', () => {
    given(
      e('AccountClosed', T3, { reason: 'admin' }, { eventId: 'a' }),
      e('AccountClosed', T2, { reason: 'inactivity' }, { eventId: 'b' }),
    ).then({ clocks: { accountClosed: at(T2, 'b') } });
  });

  it('registers a prospect at the earliest registration, a contact like any other', () => {
    given(
      e('ProspectRegistered', T2, { origin: 'fair' }, { eventId: 'a' }),
      e('ProspectRegistered', T1, { origin: 'website' }, { eventId: 'b' }),
      e('ContactMade', T3, { channel: 'phone', direction: 'inbound' }, { eventId: 'c' }),
    ).then({
      prospect: at(T1, 'b'),
      clocks: {
        prospectRegistered: at(T1, 'b'),
        lastContact: at(T3, 'c'),
      },
    });
  });

  it('breaks ties between instants by event id', () => {
    given(
      e('AccountCreated', T1, { role: 'ambassador' }, { eventId: 'y' }),
      e('AccountCreated', T1, { role: 'member' }, { eventId: 'x' }),
    ).then({
      account: { ...at(T1, 'x'), role: 'member' },
      clocks: { accountCreated: at(T1, 'x'), lastActivity: at(T1, 'y') },
    });
  });
});

describe('evolveSubject: contracts', () => {
  it('knows no end of the contracts while a signed one runs', () => {
    given(
      e('ContractSigned', T1, { contractId: 'C1' }, { eventId: 'a' }),
      e('ContractSigned', T1, { contractId: 'C2' }, { eventId: 'b' }),
      e('ContractEnded', T2, { contractId: 'C1' }, { eventId: 'c' }),
    ).then({
      clocks: {},
      contracts: { C1: { signed: at(T1, 'a'), ended: at(T2, 'c') }, C2: { signed: at(T1, 'b') } },
    });
  });

  it('ends them at the latest end once every signed contract has ended', () => {
    given(
      e('ContractSigned', T1, { contractId: 'C1' }, { eventId: 'a' }),
      e('ContractEnded', T3, { contractId: 'C1' }, { eventId: 'b' }),
      e('ContractEnded', T2, { contractId: 'C1' }, { eventId: 'c' }),
      // An end with no signature known is a contract that ended.
      e('ContractEnded', T2, { contractId: 'C9' }, { eventId: 'd' }),
    ).then({
      clocks: { contractsEnded: at(T3, 'b') },
      recordClocks: {
        'contract:C1': { contractEnded: at(T3, 'b') },
        'contract:C9': { contractEnded: at(T2, 'd') },
      },
    });
  });
});

describe('evolveSubject: disputes', () => {
  it('opens at the earliest opening, closes at the latest closing', () => {
    given(
      e('DisputeOpened', T2, { disputeId: 'D1', invoiceId: 'INV-7' }, { eventId: 'a' }),
      e('DisputeClosed', T3, { disputeId: 'D1', invoiceId: 'INV-8' }, { eventId: 'b' }),
    ).then({
      disputes: {
        D1: {
          opened: { ...at(T2, 'a'), invoiceId: 'INV-7' },
          closed: { ...at(T3, 'b'), invoiceId: 'INV-8' },
          invoiceId: 'INV-7',
        },
      },
    });
  });

  it('takes the invoice from the closing when no opening names one', () => {
    given(
      e('DisputeOpened', T1, { disputeId: 'D1' }, { eventId: 'a' }),
      e('DisputeClosed', T2, { disputeId: 'D1', invoiceId: 'INV-8' }, { eventId: 'b' }),
    ).then({
      disputes: {
        D1: {
          opened: at(T1, 'a'),
          closed: { ...at(T2, 'b'), invoiceId: 'INV-8' },
          invoiceId: 'INV-8',
        },
      },
    });
  });
});

describe('evolveSubject: what it leaves alone', () => {
  const state = initialSubjectState(TEST_SUBJECT);

  it('returns the same state for a type it does not know', () => {
    const event = { ...e('LastActivity', T1, {}), type: 'CheckpointSigned' };
    expect(evolveSubject(state, event)).toBe(state);
  });

  it("returns the same state for another subject's event", () => {
    expect(evolveSubject(state, e('LastActivity', T1, {}, { subject: 'ps-other' }))).toBe(state);
  });

  it('returns the same state for an event that moves nothing', () => {
    const later = evolveSubject(state, e('LastActivity', T2, {}));
    expect(evolveSubject(later, e('LastActivity', T1, {}))).toBe(later);
  });
});
