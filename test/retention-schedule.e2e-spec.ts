import { randomUUID } from 'node:crypto';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const NOW = '2024-06-01T12:00:00Z';

function event(type: string, subjectId: string, occurredAt: string, extra: object = {}) {
  return {
    eventId: randomUUID(),
    type,
    subjectId,
    occurredAt,
    source: 'marketplace-api',
    data: {},
    ...extra,
  };
}

const accountCreated = (subjectId: string, occurredAt: string) =>
  event('AccountCreated', subjectId, occurredAt, {
    data: { role: 'member' },
    personalData: { identification: { email: 'ana@example.fr', firstName: 'Ana' } },
  });

describe('the retention schedule and the deadlines over HTTP', () => {
  let ledger: Ledger;
  beforeEach(async () => (ledger = await startLedger({ now: NOW })));
  afterEach(async () => ledger.close());

  const publish = async (...events: object[]) => {
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events },
    });
    expect(response.status).toBe(201);
  };
  const retention = (subjectId: string, key: string = KEYS.compliance) =>
    ledger.request('GET', `/v1/subjects/${encodeURIComponent(subjectId)}/retention`, { key });
  const deadlines = (query: string, key: string = KEYS.compliance) =>
    ledger.request('GET', `/v1/compliance/deadlines?${query}`, { key });

  const platformAccess = (body: any) =>
    body.records
      .find((r: any) => r.recordKey === 'account' && r.category === 'identification')
      .purposes.find((p: any) => p.purpose === 'platform-access');

  it("shows the spec's example right after the event is published", async () => {
    const created = accountCreated('user-42', '2024-03-01T10:00:00Z');
    await publish(created);
    const { status, body } = await retention('user-42');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['subjectId', 'policyVersion', 'records']);
    expect(body).toMatchObject({ subjectId: 'user-42', policyVersion: '2023-01-24' });
    expect(body.records[0]).toMatchObject({
      recordKey: 'account',
      category: 'identification',
      phase: 'active',
      nextAction: { action: expect.any(String), dueAt: expect.any(String) },
    });
    expect(platformAccess(body)).toMatchObject({
      legalBasis: 'contract',
      activeUntil: '2026-03-01T10:00:00.000Z',
      archiveUntil: '2031-03-01T10:00:00.000Z',
      then: 'erase',
      because: [
        { clock: 'lastActivity', at: '2024-03-01T10:00:00.000Z', eventId: created.eventId },
      ],
    });
  });

  it('counts platform access from the last activity: 2 years active, then 5 archived', async () => {
    const activity = event('LastActivity', 'user-42', '2024-05-15T08:30:00Z');
    await publish(accountCreated('user-42', '2024-03-01T10:00:00Z'), activity);
    const { status, body } = await retention('user-42');
    expect(status).toBe(200);
    expect(platformAccess(body)).toMatchObject({
      activeUntil: '2026-05-15T08:30:00.000Z',
      archiveUntil: '2031-05-15T08:30:00.000Z',
      because: [
        { clock: 'lastActivity', at: '2024-05-15T08:30:00.000Z', eventId: activity.eventId },
      ],
    });
  });

  it('answers 404 for a subject it does not know, without naming it', async () => {
    const { status, body } = await retention('someone-unknown');
    expect(status).toBe(404);
    expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: [expect.any(String)] });
    expect(JSON.stringify(body)).not.toContain('someone-unknown');
    expect((await retention('bad\u0001id')).status).toBe(400);
  });

  it('needs a key (401) with the compliance role (403); admin may', async () => {
    await publish(accountCreated('user-42', '2024-03-01T10:00:00Z'));
    expect((await ledger.request('GET', '/v1/subjects/user-42/retention')).status).toBe(401);
    expect((await retention('user-42', 'not-a-configured-key-at-all')).status).toBe(401);
    expect((await retention('user-42', KEYS.auditor)).status).toBe(403);
    expect((await retention('user-42', KEYS.publisher)).status).toBe(403);
    expect((await retention('user-42', KEYS.admin)).status).toBe(200);
    expect((await deadlines('before=2100-01-01T00:00:00Z', KEYS.auditor)).status).toBe(403);
    expect((await deadlines('before=2100-01-01T00:00:00Z', KEYS.admin)).status).toBe(200);
  });

  it('pages the deadlines soonest first, one at a time, to the end', async () => {
    await publish(
      accountCreated('user-1', '2024-03-01T10:00:00Z'),
      accountCreated('user-2', '2023-11-20T09:00:00Z'),
      accountCreated('user-3', '2024-01-05T16:00:00Z'),
      event('VisitRecorded', 'user-2', '2024-04-02T10:00:00Z', {
        personalData: { navigation: { landingPage: '/mentors' } },
      }),
    );
    const all = await deadlines('before=2100-01-01T00:00:00Z&limit=1000');
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    const dueDates = all.body.items.map((item: any) => item.dueAt);
    expect(dueDates).toEqual([...dueDates].sort());
    expect(new Set(all.body.items.map((item: any) => item.subjectId))).toEqual(
      new Set(['user-1', 'user-2', 'user-3']),
    );
    expect(all.body.items[0]).toEqual({
      subjectId: expect.any(String),
      recordKey: expect.any(String),
      category: expect.any(String),
      action: expect.stringMatching(/^(archive|erase|request-renewal)$/),
      dueAt: expect.stringMatching(/Z$/),
    });

    const walked: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await deadlines(
        `before=2100-01-01T00:00:00Z&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(walked).toEqual(all.body.items);

    const first = all.body.items[0].dueAt;
    const before = await deadlines(`before=${encodeURIComponent(first)}`);
    expect(before.body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['no before', 'limit=10', /^before: /],
    ['a bad before', 'before=tomorrow', /^before: /],
    ['an impossible date', 'before=2024-02-30T00:00:00Z', /^before: /],
    ['limit 0', 'before=2100-01-01T00:00:00Z&limit=0', /^limit: /],
    ['limit 1001', 'before=2100-01-01T00:00:00Z&limit=1001', /^limit: /],
    ['a made-up cursor', 'before=2100-01-01T00:00:00Z&cursor=abc', /^cursor: /],
    ['an unknown parameter', 'before=2100-01-01T00:00:00Z&page=2', /page/],
  ])('refuses %s with a 400 that says why', async (_, query, reason) => {
    const { status, body } = await deadlines(query);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.message).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
  });

  it('describes both routes in the OpenAPI document', async () => {
    const { body } = await ledger.request('GET', '/docs-json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/v1/subjects/{subjectId}/retention', '/v1/compliance/deadlines']),
    );
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['RetentionScheduleResponseDto', 'DeadlinesPageDto']),
    );
    const parameters = body.paths['/v1/compliance/deadlines'].get.parameters.map(
      (p: any) => p.name,
    );
    expect(parameters).toEqual(expect.arrayContaining(['before', 'limit', 'cursor']));
  });
});

describe('GET /v1/policy', () => {
  it('shows the policy in force and the version the ledger recorded, to any role', async () => {
    const ledger = await startLedger();
    try {
      const response = await ledger.request('GET', '/v1/policy', { key: KEYS.auditor });
      expect(response.status).toBe(200);
      expect(response.body.inForce.version).toBe('2023-01-24');
      expect(response.body.inForce.purposes.map((p: { id: string }) => p.id)).toContain(
        'platform-access',
      );
      expect(response.body.versions).toEqual([
        expect.objectContaining({ version: '2023-01-24', sha256: response.body.inForce.sha256 }),
      ]);
      expect(response.body.lastChange).toBeNull();
      expect((await ledger.request('GET', '/v1/policy')).status).toBe(401);
    } finally {
      await ledger.close();
    }
  });
});
