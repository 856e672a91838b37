import { randomBytes } from 'node:crypto';
import { DecryptionError } from '../../crypto/crypto.errors';
import { sealPersonalData } from '../../crypto/personal-data/seal-personal-data';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { ContentOpeners } from './content-openers';
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
  const eventId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const event: LedgerEventV1 = {
    v: 1,
    eventId,
    type,
    subject: 'pseudonym-1',
    occurredAt: new Date(Date.UTC(2025, 0, n, 10)).toISOString(),
    recordedAt: new Date(Date.UTC(2025, 0, n, 10, 0, 1)).toISOString(),
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

/** One character of the box's ciphertext changed. */
function alterSealed(payload: string): string {
  const at = payload.indexOf('"sealed":"') + '"sealed":"'.length + 40;
  return payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1);
}

/** The vault's live keys: `key-gone` was destroyed (an erasure under way). */
const LIVE = [
  { keyId: 'key-account', recordKey: 'account', category: 'identification' },
  { keyId: 'key-visits', recordKey: 'visits', category: 'navigation' },
];

describe('reading the content of a subject export', () => {
  const lookups: string[] = [];
  const vault = {
    async liveKeysOf(owner: string) {
      return owner === 'pseudonym-1' ? LIVE : [];
    },
    async dataKey(keyId: string) {
      lookups.push(keyId);
      return KEYS.get(keyId);
    },
  };
  const read = (events: string[], active: string[], openers?: ContentOpeners) =>
    readSubjectContent(vault, 'pseudonym-1', events, active, openers);
  beforeEach(() => (lookups.length = 0));

  it("opens the active records' values in log order, with the event they came in", async () => {
    const content = await read(payloads, ['visits|navigation']);
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
    await read(payloads, ['visits|navigation', 'account|identification']);
    expect(lookups).toEqual(['key-account', 'key-visits']);
  });

  it('shows nothing of an active record whose key is destroyed (its erasure under way)', async () => {
    const content = await read(payloads, ['account|usage']);
    expect(content.values.get('account|usage')).toEqual([]);
  });

  it('lists every shared report, whatever the records', async () => {
    const content = await read(payloads, []);
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

  describe('on opening threads', () => {
    const openers = new ContentOpeners(2);
    afterAll(() => openers.close());
    // Long enough to be split between the two threads.
    const long = Array.from({ length: 1200 }, (_, i) => visit(i + 10, `/page/${i}`));

    it('gives what the calling thread gives, in log order', async () => {
      const active = ['visits|navigation', 'account|identification'];
      const events = [...payloads, ...long];
      const here = await read(events, active);
      const threaded = await read(events, active, openers);
      expect(threaded).toEqual(here);
      expect(threaded.values.get('visits|navigation')).toHaveLength(1202);
    });

    it('fails as the calling thread does when a value was altered', async () => {
      const altered = [...long];
      altered[900] = alterSealed(long[900]);
      await expect(read(altered, ['visits|navigation'], openers)).rejects.toThrow(DecryptionError);
      // The threads are still there for the next export.
      expect(
        (await read(long, ['visits|navigation'], openers)).values.get('visits|navigation'),
      ).toHaveLength(1200);
    });
  });
});
