import { randomUUID } from 'node:crypto';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const EMAIL = 'known.person@example.fr';
const PHONE = '+33 6 12 34 56 78';
const SUBJECT = 'platform-user-4242';

jest.setTimeout(60_000);

/**
 * Issue 6 point 6: the auditor role never sees personal data. Every GET route of the
 * OpenAPI document (so a route added later is covered without touching this test) is called
 * with the auditor's key, path parameters filled with the known subject id and real event
 * ids, after a life that left active, archived and erased records. Whatever it may read
 * (a 200), neither the known email, phone nor subject id appears in it, not even inside the
 * base64 leaves it serves.
 */
describe('the auditor never sees personal data', () => {
  let ledger: Ledger;
  afterAll(() => ledger?.close());

  it('finds neither the email, the phone nor the subject id in any answer an auditor gets', async () => {
    ledger = await startLedger({ now: '2023-03-01T10:00:00Z' });
    const publish = async (type: string, data: object, personalData?: object) => {
      const response = await ledger.request('POST', '/v1/events', {
        key: KEYS.publisher,
        body: {
          eventId: randomUUID(),
          type,
          subjectId: SUBJECT,
          occurredAt: ledger.clock.now().toISOString(),
          source: 'marketplace-api',
          data,
          ...(personalData ? { personalData } : {}),
        },
      });
      if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    };
    await publish(
      'AccountCreated',
      { role: 'member' },
      {
        identification: { email: EMAIL, phone: PHONE },
        usage: { plan: 'pro' },
      },
    );
    await publish('VisitRecorded', {}, { navigation: { page: '/pricing', email: EMAIL } });
    // Years later the saga archives and erases what is due: erasures to list and certify.
    for (const instant of [
      '2024-06-01T00:00:00Z',
      '2025-06-01T00:00:00Z',
      '2030-06-01T00:00:00Z',
    ]) {
      ledger.clock.set(new Date(instant));
      await ledger.app.get(LifecycleSaga).sweep();
    }
    expect((await ledger.request('POST', '/v1/audit/checkpoint', { key: KEYS.admin })).status).toBe(
      201,
    );

    const log = await ledger.readLog();
    const eventIds = log.map((e) => e.eventId);
    const erasures = await ledger.request('GET', '/v1/compliance/erasures?limit=100', {
      key: KEYS.auditor,
    });
    const factIds: string[] = (erasures.body?.items ?? []).map(
      (i: { eventId: string }) => i.eventId,
    );
    expect(factIds.length).toBeGreaterThan(0);
    const values: Record<string, string[]> = {
      subjectId: [SUBJECT],
      eventId: [...eventIds.slice(0, 3), ...factIds],
    };

    const size = Number(
      (await ledger.request('GET', '/v1/audit/checkpoint', { key: KEYS.auditor })).body.treeSize,
    );
    const queries: Record<string, string> = {
      '/v1/audit/leaves': `?start=0&end=${Math.min(size, 1000)}`,
      '/v1/audit/proof/consistency': `?from=1&to=${size}`,
      '/v1/audit/proof/inclusion': `?eventId=${factIds[0] ?? eventIds[0]}`,
      '/v1/compliance/erasures': '?limit=100',
      '/v1/compliance/deadlines': '?before=2100-01-01T00:00:00Z',
    };
    const { body: openapi } = await ledger.request('GET', '/docs-json');
    const readable: string[] = [];
    for (const [template, operations] of Object.entries(
      openapi.paths as Record<string, Record<string, unknown>>,
    )) {
      if (!('get' in operations)) continue;
      for (const path of fill(template, values)) {
        const query = queries[template] ?? '';
        const answer = await ledger.request('GET', `${path}${query}`, { key: KEYS.auditor });
        if (answer.status !== 200) continue;
        readable.push(template);
        const text = JSON.stringify(answer.body);
        for (const seen of [text, ...decodedBase64(answer.body)]) {
          expect({ path, leaks: [EMAIL, PHONE, SUBJECT].filter((v) => seen.includes(v)) }).toEqual({
            path,
            leaks: [],
          });
        }
      }
    }
    // The auditor's own routes were read, not merely refused.
    expect(readable).toEqual(
      expect.arrayContaining([
        '/v1/audit/checkpoint',
        '/v1/audit/leaves',
        '/v1/audit/proof/inclusion',
        '/v1/compliance/erasures',
      ]),
    );
    // And the routes that show personal data refuse the auditor.
    for (const path of [
      `/v1/subjects/${SUBJECT}/retention`,
      '/v1/compliance/deadlines?before=2100-01-01T00:00:00Z',
    ]) {
      expect((await ledger.request('GET', path, { key: KEYS.auditor })).status).toBe(403);
    }
  });
});

/** Every way to fill a path template's `{params}` with the values known for them. */
function fill(template: string, values: Record<string, string[]>): string[] {
  const match = /\{(\w+)\}/.exec(template);
  if (!match) return [template];
  const candidates = values[match[1]!] ?? ['unknown'];
  return candidates.flatMap((value) =>
    fill(template.replace(match[0], encodeURIComponent(value)), values),
  );
}

/** Every string in the answer that is base64 of text (leaves, notes), decoded. */
function decodedBase64(value: unknown): string[] {
  if (typeof value === 'string') {
    if (value.length < 16 || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return [];
    return [Buffer.from(value, 'base64').toString('utf8')];
  }
  if (Array.isArray(value)) return value.flatMap(decodedBase64);
  if (value && typeof value === 'object') return Object.values(value).flatMap(decodedBase64);
  return [];
}
