import { randomBytes } from 'node:crypto';
import { sealPersonalData } from '../../crypto/personal-data/seal-personal-data';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { readSubjectContent } from './subject-content';

const KEYS = new Map([
  ['key-visits', randomBytes(32)],
  ['key-account', randomBytes(32)],
]);
const text = new TextDecoder();

/** A stored event as the log holds it, its values sealed under the record's key. */
function stored(
  n: number,
  type: string,
  personal: { recordKey: string; category: string; keyId: string; values: object }[],
  data: Record<string, unknown> = {},
): string {
  const eventId = `00000000-0000-4000-8000-00000000000${n}`;
  const event: LedgerEventV1 = {
    v: 1,
    eventId,
    type,
    subject: 'pseudonym-1',
    occurredAt: `2025-01-0${n}T10:00:00.000Z`,
    recordedAt: `2025-01-0${n}T10:00:01.000Z`,
    source: 'web',
    data,
    personalData: personal.map(({ values, ...box }) =>
      sealPersonalData(eventId, box, KEYS.get(box.keyId) ?? randomBytes(32), values),
    ),
  };
  return text.decode(encodeLedgerEvent(event));
}

const visit = (n: number, page: string) =>
  stored(n, 'VisitRecorded', [
    { recordKey: 'visits', category: 'navigation', keyId: 'key-visits', values: { page } },
  ]);
const payloads = [
  stored(1, 'AccountCreated', [
    { recordKey: 'account', category: 'identification', keyId: 'key-account', values: { a: 1 } },
    { recordKey: 'account', category: 'usage', keyId: 'key-gone', values: { plan: 'gold' } },
  ]),
  visit(2, '/one'),
  stored(3, 'ReportShared', [], { reportId: 'RPT-1', recipientType: 'school', recipientId: 's-1' }),
  visit(4, '/two'),
];

describe('reading the content of a subject export', () => {
  const lookups: string[] = [];
  const vault = {
    async dataKey(keyId: string) {
      lookups.push(keyId);
      return KEYS.get(keyId);
    },
  };
  beforeEach(() => (lookups.length = 0));

  it("opens the active records' values in log order, with the event they came in", async () => {
    const content = await readSubjectContent(vault, payloads, ['visits|navigation']);
    expect(content.values.get('visits|navigation')).toEqual([
      {
        eventId: '00000000-0000-4000-8000-000000000002',
        type: 'VisitRecorded',
        occurredAt: '2025-01-02T10:00:00.000Z',
        source: 'web',
        values: { page: '/one' },
      },
      expect.objectContaining({ type: 'VisitRecorded', values: { page: '/two' } }),
    ]);
    expect([...content.values.keys()]).toEqual(['visits|navigation']);
  });

  it('looks each key up once, and only the keys of active records', async () => {
    await readSubjectContent(vault, payloads, ['visits|navigation', 'account|identification']);
    expect(lookups).toEqual(['key-account', 'key-visits']);
  });

  it('shows nothing of an active record whose key is destroyed (its erasure under way)', async () => {
    const content = await readSubjectContent(vault, payloads, ['account|usage']);
    expect(content.values.get('account|usage')).toEqual([]);
  });

  it('lists every shared report, whatever the records', async () => {
    const content = await readSubjectContent(vault, payloads, []);
    expect(content.shared).toEqual([
      {
        reportId: 'RPT-1',
        recipientType: 'school',
        recipientId: 's-1',
        sharedAt: '2025-01-03T10:00:00.000Z',
        eventId: '00000000-0000-4000-8000-000000000003',
        source: 'web',
      },
    ]);
  });
});
