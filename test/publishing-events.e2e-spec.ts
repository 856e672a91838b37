import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const NOW = '2024-06-01T12:00:00Z';

function accountCreated(overrides: Record<string, unknown> = {}) {
  return {
    eventId: randomUUID(),
    type: 'AccountCreated',
    subjectId: 'user-42',
    occurredAt: '2024-03-01T10:00:00Z',
    source: 'marketplace-api',
    data: { role: 'member' },
    personalData: { identification: { email: 'ana@example.fr', firstName: 'Ana' } },
    ...overrides,
  };
}

describe('POST /v1/events', () => {
  let ledger: Ledger;
  beforeEach(async () => (ledger = await startLedger({ now: NOW })));
  afterEach(async () => ledger.close());

  const publish = (body: unknown, key: string = KEYS.publisher) =>
    ledger.request('POST', '/v1/events', { key, body });

  it('stores one event and answers with its position', async () => {
    const event = accountCreated();
    const response = await publish(event);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      eventId: event.eventId,
      position: expect.any(String),
      duplicate: false,
    });
    const log = await ledger.readLog();
    expect(log.map((e) => [e.eventId, e.type])).toEqual([[event.eventId, 'AccountCreated']]);
    expect(log[0].streamName).toMatch(/^subject-[0-9a-f-]{36}$/);
  });

  it('answers a replay as the first time, with duplicate: true, and stores it once', async () => {
    const event = accountCreated();
    const first = await publish(event);
    const again = await publish({ ...event, occurredAt: '2024-03-01T10:00:00.000Z' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await ledger.readLog()).toHaveLength(1);
  });

  it('refuses a known eventId with another body (409) and changes nothing', async () => {
    const event = accountCreated();
    await publish(event);
    const response = await publish({ ...event, data: { role: 'ambassador' } });
    expect(response.status).toBe(409);
    expect(response.body.message).toEqual([
      `events: ${event.eventId} is already stored with a different body`,
    ]);
    expect(await ledger.readLog()).toHaveLength(1);
  });

  it('stores a batch, all of it, in order', async () => {
    const events = [
      accountCreated(),
      accountCreated({ subjectId: 'user-43' }),
      { ...accountCreated(), type: 'LastActivity', data: {} },
    ];
    const response = await publish({ events });
    expect(response.status).toBe(201);
    expect(response.body.duplicate).toBe(false);
    expect(response.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(
      events.map((e) => e.eventId),
    );
    expect((await ledger.readLog()).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('refuses a batch with any bad event, lists every problem, stores nothing', async () => {
    const events = [
      accountCreated(),
      accountCreated({ type: 'AccountExploded' }),
      accountCreated({ occurredAt: '2024-06-01T12:06:00Z', data: { role: 'emperor' } }),
      accountCreated({ personalData: { health: { bloodType: 'O' } } }),
    ];
    const response = await publish({ events });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('Bad Request');
    const text = response.body.message.join('\n');
    expect(text).toMatch(/events\[1\]\.type/);
    expect(text).toMatch(/events\[2\]\.occurredAt/);
    expect(text).toMatch(/events\[2\]\.data\.role/);
    expect(text).toMatch(/events\[3\]\.personalData\.health/);
    expect(text).not.toMatch(/events\[0\]/);
    expect(await ledger.readLog()).toHaveLength(0);
  });

  it('accepts an event 4 minutes ahead (clock skew) but not 6', async () => {
    expect((await publish(accountCreated({ occurredAt: '2024-06-01T12:04:00Z' }))).status).toBe(
      201,
    );
    expect((await publish(accountCreated({ occurredAt: '2024-06-01T12:06:00Z' }))).status).toBe(
      400,
    );
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hello"'],
    ['broken JSON', '{"eventId":'],
    ['null', 'null'],
  ])('refuses %s as the body with a 400', async (_, rawBody) => {
    const response = await ledger.request('POST', '/v1/events', { key: KEYS.publisher, rawBody });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.any(Array),
    });
    expect(await ledger.readLog()).toHaveLength(0);
  });

  it.each([
    ['a string', '"ana@example.fr"'],
    ['broken JSON', '{"email":"ana@example.fr",'],
  ])('refuses %s without quoting it', async (_, rawBody) => {
    const response = await ledger.request('POST', '/v1/events', { key: KEYS.publisher, rawBody });
    expect(response.body.message).toEqual(['body: not valid JSON']);
  });

  it('refuses a body over the limit with a 413', async () => {
    const huge = accountCreated({
      personalData: { identification: { bio: 'x'.repeat(10 * 1024 * 1024) } },
    });
    const response = await publish(huge);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, message: expect.any(Array) });
    expect(await ledger.readLog()).toHaveLength(0);
  });

  it('needs a key (401) with the publisher role (403)', async () => {
    expect((await ledger.request('POST', '/v1/events', { body: accountCreated() })).status).toBe(
      401,
    );
    expect((await publish(accountCreated(), 'not-a-configured-key-at-all')).status).toBe(401);
    expect((await publish(accountCreated(), KEYS.auditor)).status).toBe(403);
    expect((await publish(accountCreated(), KEYS.compliance)).status).toBe(403);
    expect((await publish(accountCreated(), KEYS.admin)).status).toBe(201);
    expect(await ledger.readLog()).toHaveLength(1);
  });
});

describe('the ledger at rest and in its logs', () => {
  it('keeps no clear email or subject id in any file of the data folder, nor in its logs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-at-rest-'));
    const email = 'secret.person@example.org';
    const subjectId = 'platform-user-8c41d7';
    const ledger = await startLedger({ dataDir });
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        events: [
          accountCreated({ subjectId, personalData: { identification: { email } } }),
          accountCreated({
            subjectId: 'someone-else',
            type: 'ContactMade',
            data: { channel: 'platform', direction: 'outbound', counterpartId: subjectId },
          }),
        ],
      },
    });
    expect(response.status).toBe(201);
    // A failing request logs too: its log lines must not carry what it was sent either.
    await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: accountCreated({ subjectId, eventId: email }),
    });
    const logs = ledger.logs.join('');
    await ledger.close();

    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [email, subjectId]) {
      expect(logs).not.toContain(secret);
      for (const file of readdirSync(dataDir)) {
        const bytes = readFileSync(join(dataDir, file));
        expect({ file, found: bytes.includes(Buffer.from(secret)) }).toEqual({
          file,
          found: false,
        });
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('health and the OpenAPI document', () => {
  let ledger: Ledger;
  beforeAll(async () => (ledger = await startLedger()));
  afterAll(async () => ledger.close());

  it('reports the store reachable without a key', async () => {
    const { status, body } = await ledger.request('GET', '/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      store: 'reachable',
      projections: {
        'retention-schedule': { caughtUp: expect.any(Boolean) },
        'audit-tree': { caughtUp: expect.any(Boolean), size: expect.stringMatching(/^\d+$/) },
      },
    });
  });

  it('serves the OpenAPI document, generated from the DTOs', async () => {
    const { status, body } = await ledger.request('GET', '/docs-json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/v1/events', '/health']));
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['EventEnvelopeDto', 'PublishBatchRequestDto']),
    );
  });
});
