import { clockValue } from './clock-value';
import { evolveSubject } from './evolve-subject';
import { initialSubjectState } from './subject-state';
import { given } from './testing/given';
import { storedEvent as e, TEST_SUBJECT } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';
const T3 = '2025-03-15T08:00:00.000Z';
const at = (instant: string, eventId: string) => ({ at: instant, eventId });
const stateOf = (...events: ReturnType<typeof e>[]) =>
  events.reduce(evolveSubject, initialSubjectState(TEST_SUBJECT));

describe('evolveSubject: the rights that change retention', () => {
  it('dates an erasure request at the earliest one', () => {
    given(
      e('RightsRequestReceived', T2, { requestId: 'Q2', right: 'erasure' }, { eventId: 'b' }),
      e('RightsRequestReceived', T1, { requestId: 'Q1', right: 'erasure' }, { eventId: 'a' }),
    ).then({ clocks: { erasureRequested: at(T1, 'a') } });
  });

  it('withdraws the named consents, or every consent at once when none is named', () => {
    given(
      e(
        'RightsRequestReceived',
        T1,
        {
          requestId: 'Q1',
          right: 'consent-withdrawal',
          purposes: ['marketing'],
        },
        { eventId: 'a' },
      ),
      e(
        'RightsRequestReceived',
        T2,
        { requestId: 'Q2', right: 'consent-withdrawal' },
        {
          eventId: 'b',
        },
      ),
    ).then({
      consents: { marketing: { consentWithdrawn: at(T1, 'a') } },
      clocks: { consentsWithdrawn: at(T2, 'b') },
    });
  });

  it('counts a withdrawal of every consent for each purpose, until consent is given again', () => {
    const withdrawn = stateOf(
      e('ConsentGiven', T1, { purpose: 'marketing' }, { eventId: 'a' }),
      e(
        'RightsRequestReceived',
        T2,
        { requestId: 'Q', right: 'consent-withdrawal' },
        {
          eventId: 'b',
        },
      ),
    );
    expect(clockValue(withdrawn, 'consentWithdrawn', undefined, 'marketing')).toEqual(at(T2, 'b'));
    expect(clockValue(withdrawn, 'consentWithdrawn', undefined, 'statistics')).toEqual(at(T2, 'b'));
    const givenAgain = evolveSubject(
      withdrawn,
      e('ConsentGiven', T3, { purpose: 'marketing' }, { eventId: 'c' }),
    );
    expect(clockValue(givenAgain, 'consentWithdrawn', undefined, 'marketing')).toBeUndefined();
  });
});

describe('a death and the post-mortem directive (art. 40-1)', () => {
  const died = e('AccountClosed', T2, { reason: 'deceased' }, { eventId: 'd' });
  const erase = e('PostMortemDirectiveRecorded', T1, { directive: 'erase' }, { eventId: 'x' });
  const communicate = (instant: string) =>
    e('PostMortemDirectiveRecorded', instant, { directive: 'communicate' }, { eventId: 'y' });

  it('erases from the death when the latest directive says erase', () => {
    expect(clockValue(stateOf(erase, died), 'erasureRequested')).toEqual(at(T2, 'd'));
    expect(clockValue(stateOf(died, erase), 'erasureRequested')).toEqual(at(T2, 'd'));
  });

  it('from the directive when it is recorded after the death', () => {
    const late = e('PostMortemDirectiveRecorded', T3, { directive: 'erase' }, { eventId: 'z' });
    expect(clockValue(stateOf(died, late), 'erasureRequested')).toEqual(at(T3, 'z'));
  });

  it('not when the latest directive says communicate, nor without a directive, nor alive', () => {
    expect(clockValue(stateOf(erase, communicate(T3), died), 'erasureRequested')).toBeUndefined();
    expect(clockValue(stateOf(died), 'erasureRequested')).toBeUndefined();
    expect(clockValue(stateOf(erase), 'erasureRequested')).toBeUndefined();
    const closed = e('AccountClosed', T2, { reason: 'user-request' }, { eventId: 'u' });
    expect(clockValue(stateOf(erase, closed), 'erasureRequested')).toBeUndefined();
  });

  it('an earlier erasure request stands', () => {
    const asked = e(
      'RightsRequestReceived',
      T1,
      { requestId: 'Q', right: 'erasure' },
      {
        eventId: 'q',
      },
    );
    const late = e('PostMortemDirectiveRecorded', T3, { directive: 'erase' }, { eventId: 'z' });
    expect(clockValue(stateOf(late, died, asked), 'erasureRequested')).toEqual(at(T1, 'q'));
  });
});
