import { canonicalSubjectState } from './canonical-subject-state';
import type { SubjectState } from './subject-state';
import { foldSubject } from './testing/given';
import { storedEvent as e, TEST_SUBJECT } from './testing/stored-event';

const T1 = '2024-01-10T09:00:00.000Z';
const T2 = '2024-06-01T12:30:00.000Z';

describe('canonicalSubjectState', () => {
  it('lays out a state from elsewhere as evolveSubject does, to the byte', () => {
    const folded = foldSubject([
      e('ContractEnded', T2, { contractId: 'B' }, { eventId: 'b' }),
      e('ContractSigned', T1, { contractId: 'B' }, { eventId: 'a' }),
      e('ContractSigned', T1, { contractId: 'A' }, { eventId: 'c' }),
      e('ProspectRegistered', T1, { origin: 'fair' }, { eventId: 'd' }),
    ]);
    const scrambled = {
      renewals: {},
      phases: {},
      records: {},
      recordClocks: { 'contract:B': { contractEnded: { eventId: 'b', at: T2 } } },
      consents: {},
      disputes: {},
      contracts: {
        B: { ended: { eventId: 'b', at: T2 }, signed: { at: T1, eventId: 'a' } },
        A: { signed: { eventId: 'c', at: T1 }, ended: undefined },
      },
      clocks: {
        prospectRegistered: { at: T1, eventId: 'd' },
        lastContact: { at: T1, eventId: 'd' },
      },
      prospect: { eventId: 'd', at: T1 },
      account: undefined,
      subject: TEST_SUBJECT,
    } as SubjectState;
    expect(JSON.stringify(canonicalSubjectState(scrambled))).toBe(JSON.stringify(folded));
    expect(Object.keys(canonicalSubjectState(scrambled))).not.toContain('account');
  });
});
