import { foldSubject } from '../../domain/subjects/testing/given';
import { storedEvent } from '../../domain/subjects/testing/stored-event';
import type { DownstreamSystem, SystemsRegistry } from './downstream-systems';
import { everyRecordErased, subjectLinkFate } from './subject-link';

const created = storedEvent(
  'AccountCreated',
  '2024-01-01T00:00:00.000Z',
  { role: 'member' },
  {
    personalData: [
      { recordKey: 'account', category: 'identification' },
      { recordKey: 'account', category: 'usage' },
    ],
  },
);
const erasedUsage = storedEvent('RecordErased', '2027-01-01T00:00:00.000Z', {
  recordKey: 'account',
  category: 'usage',
  policyVersion: '2023-01-24',
  purposes: ['platform-access'],
  dueAt: '2027-01-01T00:00:00.000Z',
  because: [created.eventId],
  keyFingerprint: 'ab'.repeat(32),
});
const identification = { recordKey: 'account', category: 'identification' };
const usage = { recordKey: 'account', category: 'usage' };

const holding = (...categories: string[]): SystemsRegistry => ({
  systems: [system('crm', categories)],
});
function system(id: string, categories: string[]): DownstreamSystem {
  return {
    id,
    categories,
    acknowledgeWithin: 'P1D',
    acknowledgeWithinMs: 86_400_000,
    delivery: { kind: 'pull' },
  };
}

describe('the link from the platform id when a record is erased', () => {
  it('stays while another record is held', () => {
    expect(subjectLinkFate(foldSubject([created]), usage, holding())).toBeUndefined();
  });

  it('goes with the last record when no system holds any of its categories', () => {
    const state = foldSubject([created, erasedUsage]);
    expect(subjectLinkFate(state, identification, holding())).toBe('forgotten');
    expect(subjectLinkFate(state, identification, holding('billing'))).toBe('forgotten');
  });

  it('is kept for the systems when one holds any category the subject had', () => {
    const state = foldSubject([created, erasedUsage]);
    // The usage record went earlier: the system told of it by platform id counts too.
    expect(subjectLinkFate(state, identification, holding('usage'))).toBe('kept-for-systems');
    expect(subjectLinkFate(state, identification, holding('identification'))).toBe(
      'kept-for-systems',
    );
  });

  it('knows when every record is erased', () => {
    expect(everyRecordErased(foldSubject([created, erasedUsage]))).toBe(false);
    expect(everyRecordErased(foldSubject([created, erasedUsage]), 'account|identification')).toBe(
      true,
    );
  });
});
