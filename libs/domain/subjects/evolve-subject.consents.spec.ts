import { given } from './testing/given';
import { storedEvent as e } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';
const T3 = '2025-03-15T08:00:00.000Z';
const at = (instant: string, eventId: string) => ({ at: instant, eventId });

describe('evolveSubject: consents and objections', () => {
  it('keeps the latest consent and the latest withdrawal per purpose', () => {
    given(
      e('ConsentGiven', T1, { purpose: 'marketing' }, { eventId: 'a' }),
      e('ConsentGiven', T3, { purpose: 'marketing' }, { eventId: 'b' }),
      e('ConsentWithdrawn', T2, { purpose: 'marketing' }, { eventId: 'c' }),
      e('ConsentGiven', T2, { purpose: 'statistics' }, { eventId: 'd' }),
    ).then({
      consents: {
        marketing: { consentGiven: at(T3, 'b'), consentWithdrawn: at(T2, 'c') },
        statistics: { consentGiven: at(T2, 'd') },
      },
    });
  });

  it('dates an objection to each purpose it names at its earliest', () => {
    const objection = { right: 'objection', purposes: ['matchmaking', 'statistics'] } as const;
    given(
      e('RightsRequestReceived', T2, { requestId: 'Q1', ...objection }, { eventId: 'a' }),
      e('RightsRequestReceived', T1, { requestId: 'Q2', ...objection }, { eventId: 'b' }),
    ).then({
      consents: { matchmaking: { objection: at(T1, 'b') }, statistics: { objection: at(T1, 'b') } },
    });
  });

  it('takes an objection that names no purpose as one to marketing', () => {
    given(
      e('RightsRequestReceived', T1, { requestId: 'Q1', right: 'objection' }, { eventId: 'a' }),
      e('RightsRequestReceived', T2, { requestId: 'Q2', right: 'objection', purposes: [] }),
    ).then({ consents: { marketing: { objection: at(T1, 'a') } } });
  });

  it('moves no clock for the other rights', () => {
    const { state } = given(
      e('RightsRequestReceived', T1, { requestId: 'Q1', right: 'erasure', purposes: ['reviews'] }),
    );
    expect(state.consents).toEqual({});
  });
});

describe('evolveSubject: renewals', () => {
  it('keeps the latest question and the latest answer per purpose', () => {
    const question = { recordKey: 'account', category: 'identification', policyVersion: 'v' };
    given(
      e('RenewalRequested', T1, { ...question, purpose: 'marketing', dueAt: T1, answerBy: T2 }),
      e('RenewalRequested', T2, { ...question, purpose: 'marketing', dueAt: T2, answerBy: T3 }),
      e('RenewalAnswered', T2, { purpose: 'marketing', accepted: true }, { eventId: 'a' }),
      e('RenewalAnswered', T3, { purpose: 'marketing', accepted: false }, { eventId: 'b' }),
    ).then({
      renewals: {
        marketing: {
          requested: at(T2, `RenewalRequested@${T2}`),
          answered: { ...at(T3, 'b'), accepted: false },
        },
      },
    });
  });
});
