import { clockValue } from './clock-value';
import { foldSubject } from './testing/given';
import { storedEvent as e } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';
const at = (instant: string, eventId: string) => ({ at: instant, eventId });
const request = [{ recordKey: 'request:Q1', category: 'requests' }];

describe('clockValue', () => {
  const state = foldSubject([
    e('AccountCreated', T1, { role: 'member' }, { eventId: 'a' }),
    e('InformationRequested', T1, { requestId: 'Q1' }, { eventId: 'b', personalData: request }),
    e('InformationRequestAnswered', T2, { requestId: 'Q1' }, { eventId: 'c' }),
    e('ConsentGiven', T1, { purpose: 'marketing' }, { eventId: 'd' }),
    e('ConsentWithdrawn', T2, { purpose: 'marketing' }, { eventId: 'e' }),
    e('ConsentWithdrawn', T1, { purpose: 'statistics' }, { eventId: 'f' }),
    e('ConsentGiven', T2, { purpose: 'statistics' }, { eventId: 'g' }),
  ]);

  it('reads subject clocks without a scope', () => {
    expect(clockValue(state, 'accountCreated')).toEqual(at(T1, 'a'));
    expect(clockValue(state, 'accountClosed')).toBeUndefined();
  });

  it("reads a record's collections by record id, and keyed clocks by id or key", () => {
    expect(clockValue(state, 'collectedAt', 'request:Q1|requests')).toEqual(at(T1, 'b'));
    expect(clockValue(state, 'lastCollectedAt', 'request:Q1|requests')).toEqual(at(T1, 'b'));
    expect(clockValue(state, 'answeredAt', 'request:Q1|requests')).toEqual(at(T2, 'c'));
    expect(clockValue(state, 'answeredAt', 'request:Q1')).toEqual(at(T2, 'c'));
    expect(clockValue(state, 'answeredAt')).toBeUndefined();
  });

  it('reads a withdrawal only while no later consent was given', () => {
    expect(clockValue(state, 'consentWithdrawn', undefined, 'marketing')).toEqual(at(T2, 'e'));
    expect(clockValue(state, 'consentWithdrawn', undefined, 'statistics')).toBeUndefined();
    expect(clockValue(state, 'consentGiven', undefined, 'statistics')).toEqual(at(T2, 'g'));
    expect(clockValue(state, 'consentGiven')).toBeUndefined();
  });

  it('knows nothing of names that are not base clocks, nor of inherited keys', () => {
    expect(clockValue(state, 'accountEnded')).toBeUndefined();
    expect(clockValue(state, 'consentGiven', undefined, 'constructor')).toBeUndefined();
  });
});
