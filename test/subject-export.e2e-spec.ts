import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import schema from '../docs/schemas/subject-export.v1.schema.json';
import type { SqliteSubjectContent } from '../libs/compliance/subject-content/sqlite-subject-content';
import { SUBJECT_CONTENT } from '../libs/compliance/subject-content/subject-content.tokens';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const SUBJECT = 'export-subject-5e1f';
const EMAIL = 'ines.export@example.fr';
const PLAN = 'silver-plan-91bd';
const PAGE = '/jobs/secret-page-77';

const event = (type: string, occurredAt: string, source: string, rest: object) => ({
  eventId: randomUUID(),
  type,
  subjectId: SUBJECT,
  occurredAt,
  source,
  data: {},
  ...rest,
});

/**
 * A member with an account, a month of visits and an activity report shared with a school:
 * the export shows each record with its purposes, deadlines, sources and recipients; the
 * content only while the record is active; archived records until when, erased ones when.
 */
describe('GET /v1/subjects/{subjectId}/export', () => {
  let ledger: Ledger;
  afterEach(() => ledger?.close());

  const exportOf = (subjectId: string, key: string = KEYS.compliance) =>
    ledger.request('GET', `/v1/subjects/${subjectId}/export`, { key });
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    return ledger.app.get(LifecycleSaga).sweep();
  };
  const record = (body: any, recordKey: string, category: string) =>
    body.records.find((r: any) => r.recordKey === recordKey && r.category === category);
  const validate = new Ajv({ format: 'full' }).compile(schema);

  it('exports active, archived and erased records, recipients, sources and storage', async () => {
    ledger = await startLedger({ now: '2024-03-10T10:00:00Z' });
    const created = event('AccountCreated', '2024-03-01T10:00:00Z', 'marketplace-api', {
      data: { role: 'member' },
      personalData: { identification: { email: EMAIL }, usage: { plan: PLAN } },
    });
    const visit = event('VisitRecorded', '2024-03-05T08:00:00Z', 'web-analytics', {
      personalData: { navigation: { page: PAGE } },
    });
    const shared = event('ReportShared', '2024-03-06T09:00:00Z', 'reporting', {
      data: { reportId: 'RPT-1', recipientType: 'school', recipientId: 'school-17' },
      personalData: { usage: { meetings: 4 } },
    });
    const published = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events: [created, visit, shared] },
    });
    expect(published.status).toBe(201);

    const first = await exportOf(SUBJECT);
    expect(first.status).toBe(200);
    expect(validate(first.body)).toBe(true);
    // The schema is no formality: content on an archived record breaks it.
    const tampered = structuredClone(first.body);
    tampered.records[0].phase = 'archived';
    expect(validate(tampered)).toBe(false);
    expect(first.body).toMatchObject({
      schemaVersion: 1,
      subjectId: SUBJECT,
      generatedAt: '2024-03-10T10:00:00.000Z',
      policy: { version: '2023-01-24' },
    });
    expect(first.body.storage.map((s: any) => s.where)).toEqual([
      'Amazon Web Services, serveurs situés à Francfort (Union européenne)',
      'Google BigQuery, serveurs situés dans l’Union européenne',
      'Outils des sous-traitants (voir les destinataires, section 4)',
    ]);
    expect(first.body.storage[2].transfers).toContain('clauses contractuelles types');
    const report = {
      reportId: 'RPT-1',
      recipientType: 'school',
      recipientId: 'school-17',
      sharedAt: '2024-03-06T09:00:00.000Z',
      eventId: shared.eventId,
      source: 'reporting',
    };
    expect(first.body.sharedWith).toEqual([report]);

    const identification = record(first.body, 'account', 'identification');
    expect(identification).toMatchObject({
      phase: 'active',
      categoryDescription: expect.stringContaining('adresse email'),
      collectedAt: '2024-03-01T10:00:00.000Z',
      sources: ['marketplace-api'],
      personalData: [
        {
          eventId: created.eventId,
          type: 'AccountCreated',
          occurredAt: '2024-03-01T10:00:00.000Z',
          source: 'marketplace-api',
          values: { email: EMAIL },
        },
      ],
    });
    expect(identification.purposes).toContainEqual(
      expect.objectContaining({
        purpose: 'platform-access',
        legalBases: ['contract'],
        activeUntil: expect.any(String),
        recipients: expect.arrayContaining([
          'Sous-traitants : hébergement, maintenance, ticketing',
        ]),
      }),
    );
    const reportRecord = record(first.body, 'report:RPT-1', 'usage');
    expect(reportRecord).toMatchObject({
      phase: 'active',
      sources: ['reporting'],
      sharedWith: [report],
      activeUntil: '2027-03-06T09:00:00.000Z',
      personalData: [expect.objectContaining({ values: { meetings: 4 } })],
    });
    expect(reportRecord.purposes[0]).toMatchObject({
      purpose: 'activity-reports',
      legalBases: ['contract', 'legitimate-interest'],
      recipients: expect.arrayContaining([
        'Écoles des étudiants inscrits via un lien communiqué par leur École',
      ]),
    });
    expect(record(first.body, 'visits:2024-03', 'navigation')).toMatchObject({
      phase: 'active',
      sources: ['web-analytics'],
      personalData: [expect.objectContaining({ values: { page: PAGE } })],
    });

    // 14 months after the visit its month is erased; two years without activity archive the account.
    await sweepAt('2026-03-10T00:00:00Z');
    const later = await exportOf(SUBJECT);
    expect(later.status).toBe(200);
    expect(validate(later.body)).toBe(true);
    const visits = record(later.body, 'visits:2024-03', 'navigation');
    expect(visits).toMatchObject({ phase: 'erased', erased: { at: expect.any(String) } });
    expect(visits.personalData).toBeUndefined();
    const archived = record(later.body, 'account', 'usage');
    expect(archived).toMatchObject({
      phase: 'archived',
      archived: { at: '2026-03-01T10:00:00.000Z', until: '2031-03-01T10:00:00.000Z' },
    });
    expect(archived.personalData).toBeUndefined();
    expect(record(later.body, 'report:RPT-1', 'usage').phase).toBe('active');
    const text = JSON.stringify(later.body);
    for (const gone of [PLAN, PAGE]) expect(text).not.toContain(gone);
    // Matchmaking and the member file still keep the identification: it is still shown.
    expect(record(later.body, 'account', 'identification').phase).toBe('active');
    expect(text).toContain(EMAIL);
    expect(text).toContain('"meetings":4');

    // The schedule and the export agree on every phase and date.
    const retention = await ledger.request('GET', `/v1/subjects/${SUBJECT}/retention`, {
      key: KEYS.compliance,
    });
    expect(
      later.body.records.map((r: any) => [
        r.recordKey,
        r.category,
        r.phase,
        r.activeUntil,
        r.nextAction,
      ]),
    ).toEqual(
      retention.body.records.map((r: any) => [
        r.recordKey,
        r.category,
        r.phase,
        r.activeUntil,
        r.nextAction,
      ]),
    );
  }, 60_000);

  it('has the worker take every value into the subject-content read model the export reads', async () => {
    ledger = await startLedger({ now: '2024-03-10T10:00:00Z' });
    const created = event('AccountCreated', '2024-03-01T10:00:00Z', 'marketplace-api', {
      data: { role: 'member' },
      personalData: { identification: { email: EMAIL }, usage: { plan: PLAN } },
    });
    const visits = [5, 6, 7].map((day) =>
      event('VisitRecorded', `2024-03-0${day}T08:00:00Z`, 'web-analytics', {
        personalData: { navigation: { page: `${PAGE}/${day}` } },
      }),
    );
    const published = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events: [created, ...visits] },
    });
    expect(published.status).toBe(201);

    // The worker running in this ledger takes the five values into the read model (its
    // records' tails: no record has a chunk's worth yet).
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    const content = ledger.app.get<SqliteSubjectContent>(SUBJECT_CONTENT);
    const pseudonym = (await vault.pseudonymOf(SUBJECT, { create: false }))!;
    const items = () => {
      const { chunks, tail } = content.snapshot(pseudonym);
      return chunks.reduce((n, c) => n + c.items, 0) + tail.length;
    };
    for (let i = 0; i < 200 && items() < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(items()).toBe(5);

    const exported = await exportOf(SUBJECT);
    expect(exported.status).toBe(200);
    expect(validate(exported.body)).toBe(true);
    expect(record(exported.body, 'visits:2024-03', 'navigation').personalData).toEqual(
      visits.map((v, i) => ({
        eventId: v.eventId,
        type: 'VisitRecorded',
        occurredAt: `2024-03-0${5 + i}T08:00:00.000Z`,
        source: 'web-analytics',
        values: { page: `${PAGE}/${5 + i}` },
      })),
    );
    expect(record(exported.body, 'account', 'identification').personalData).toEqual([
      expect.objectContaining({ eventId: created.eventId, values: { email: EMAIL } }),
    ]);
  });

  it('404 for an unknown subject; compliance and admin only; nothing personal in the logs', async () => {
    ledger = await startLedger({ now: '2024-03-01T10:00:00Z' });
    const created = event('AccountCreated', '2024-03-01T10:00:00Z', 'marketplace-api', {
      data: { role: 'member' },
      personalData: { identification: { email: EMAIL } },
    });
    expect(
      (await ledger.request('POST', '/v1/events', { key: KEYS.publisher, body: created })).status,
    ).toBe(201);

    const unknown = await exportOf('nobody-here');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).not.toContain('nobody-here');
    expect((await exportOf(SUBJECT, KEYS.admin)).status).toBe(200);
    expect((await exportOf(SUBJECT, KEYS.auditor)).status).toBe(403);
    expect((await exportOf(SUBJECT, KEYS.publisher)).status).toBe(403);
    expect((await exportOf(SUBJECT, '')).status).toBe(401);

    // The OpenAPI document describes the three routes of the desk.
    const { body: openapi } = await ledger.request('GET', '/docs-json');
    for (const path of [
      '/v1/subjects/{subjectId}/export',
      '/v1/compliance/summary',
      '/v1/compliance/register',
    ]) {
      expect(openapi.paths[path]?.get).toBeDefined();
    }
    expect(openapi.components.schemas.SubjectExportResponseDto.properties.schemaVersion).toEqual(
      expect.objectContaining({ enum: [1] }),
    );

    const logs = ledger.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [EMAIL, SUBJECT, 'nobody-here']) expect(logs).not.toContain(secret);
  }, 30_000);
});
