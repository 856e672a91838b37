import { foldSubject } from '../subjects/testing/given';
import { storedEvent } from '../subjects/testing/stored-event';
import { decideArchiveRead } from './decide-archive-read';

const created = storedEvent(
  'AccountCreated',
  '2024-03-01T10:00:00.000Z',
  { role: 'member' },
  {
    personalData: [
      { category: 'usage', recordKey: 'account' },
      { category: 'identification', recordKey: 'account' },
    ],
  },
);
const phase = (type: 'RecordArchived' | 'RecordErased', at: string) =>
  storedEvent(type, at, {
    recordKey: 'account',
    category: 'usage',
    policyVersion: '2023-01-24',
    purposes: ['platform-access'],
    dueAt: at,
    because: [created.eventId],
    ...(type === 'RecordErased' ? { keyFingerprint: 'f'.repeat(64) } : {}),
  } as never);

describe('decideArchiveRead', () => {
  const decide = (...events: ReturnType<typeof storedEvent>[]) =>
    decideArchiveRead(foldSubject(events), events, 'account', 'usage');

  it('refuses a record the subject does not have', () => {
    const events = [created];
    expect(decideArchiveRead(foldSubject(events), events, 'account', 'billing')).toEqual({
      kind: 'unknown-record',
    });
  });

  it('refuses an active record: its data is the export’s', () => {
    expect(decide(created)).toEqual({ kind: 'not-archived' });
  });

  it('opens the boxes of the archived record only, oldest first', () => {
    const archived = phase('RecordArchived', '2026-03-01T10:00:00.000Z');
    const decision = decide(created, archived);
    expect(decision).toMatchObject({ kind: 'read', archivedAt: '2026-03-01T10:00:00.000Z' });
    if (decision.kind !== 'read') throw new Error('not read');
    expect(decision.boxes.map((b) => [b.event.eventId, b.box.category])).toEqual([
      [created.eventId, 'usage'],
    ]);
  });

  it('says gone once erased, whatever came before', () => {
    expect(
      decide(
        created,
        phase('RecordArchived', '2026-03-01T10:00:00.000Z'),
        phase('RecordErased', '2031-03-01T10:00:00.000Z'),
      ),
    ).toEqual({ kind: 'erased', erasedAt: '2031-03-01T10:00:00.000Z' });
  });
});
