import { roleOf } from './role-of';
import { foldSubject } from './testing/given';
import { storedEvent as e } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';

describe('roleOf', () => {
  it('is a visitor when known neither by an account nor as a prospect', () => {
    expect(roleOf(foldSubject([e('VisitRecorded', T1, {})]))).toBe('visitor');
  });

  it('is a prospect once registered as one', () => {
    expect(roleOf(foldSubject([e('ProspectRegistered', T1, { origin: 'fair' })]))).toBe('prospect');
  });

  it("is the account's role, from its earliest creation, even for a former prospect", () => {
    const state = foldSubject([
      e('ProspectRegistered', T1, { origin: 'fair' }),
      e('AccountCreated', T2, { role: 'member' }, { eventId: 'late' }),
      e('AccountCreated', T1, { role: 'ambassador' }, { eventId: 'early' }),
    ]);
    expect(roleOf(state)).toBe('ambassador');
  });
});
