import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DownstreamCommands } from '../apps/worker/downstream/downstream-commands.service';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { EVENT_STORE, type EventStore } from '../libs/event-store';
import {
  acknowledgementIdOf,
  verifyCommandSignature,
} from '../libs/lifecycle/downstream/downstream-commands';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';
import { startWebhookReceiver } from './support/webhook-receiver';

const WAREHOUSE_KEY = 'warehouse-key-0123456789';
const CRM_SECRET = 'crm-secret-0123456789abcdef0123456789';
const TICKETS_SECRET = 'tickets-secret-0123456789abcdef012345';

/**
 * Three downstream systems against a real ledger over HTTP and real webhook receivers: the
 * CRM (webhook, fails once then takes it), ticketing (webhook, always down: dead-lettered)
 * and the warehouse (pull). The saga runs on a fixed clock; webhook retries in real time,
 * with a backoff of a few milliseconds.
 */
describe('downstream systems', () => {
  let ledger: Ledger;
  let dir: string;
  let crm: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let tickets: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-systems-'));
    crm = await startWebhookReceiver((n) => (n === 1 ? 500 : 200));
    tickets = await startWebhookReceiver(() => 503);
  });
  afterEach(async () => {
    await ledger?.close();
    await crm.close();
    await tickets.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const systemsFile = () => {
    const file = join(dir, 'systems.yaml');
    writeFileSync(
      file,
      `systems:
  - id: crm
    categories: [identification]
    acknowledgeWithin: P2D
    delivery: webhook
    webhook: { url: '${crm.url}', secret: ${CRM_SECRET}, maxTries: 3, backoff: { first: PT0.02S, max: PT0.1S } }
  - id: tickets
    categories: [usage]
    acknowledgeWithin: PT12H
    delivery: webhook
    webhook: { url: '${tickets.url}', secret: ${TICKETS_SECRET}, maxTries: 2, backoff: { first: PT0.01S } }
  - id: warehouse
    categories: [usage, identification]
    acknowledgeWithin: P1D
    delivery: pull
`,
    );
    return file;
  };
  const start = async () => {
    ledger = await startLedger({
      now: '2024-03-01T10:00:00Z',
      env: { LEDGER_SYSTEMS: systemsFile() },
      moreApiKeys: `system:warehouse=${WAREHOUSE_KEY}`,
    });
  };
  const sweepAt = async (instant: string) => {
    ledger.clock.set(new Date(instant));
    await ledger.app.get(LifecycleSaga).sweep();
  };
  /** Downstream steps until nothing is left to try (retries wait a few milliseconds). */
  const settle = async () => {
    const downstream = ledger.app.get(DownstreamCommands);
    for (let i = 0; i < 50; i++) {
      const report = await downstream.step();
      if (i > 0 && report.issued === 0 && report.tried === 0) {
        await sleep(150);
        const again = await downstream.step();
        if (again.issued === 0 && again.tried === 0) return;
      }
      await sleep(20);
    }
  };
  const facts = async (type: string): Promise<LedgerEventV1[]> => {
    const all = await ledger.app.get<EventStore>(EVENT_STORE).readAll({ maxCount: 10_000 });
    return all.map((e) => decodeLedgerEvent(e.data)).filter((e) => e.type === type);
  };
  /** A member since 2024-03-01 with an identification and a usage record. */
  const publishMember = (subjectId: string) =>
    ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type: 'AccountCreated',
        subjectId,
        occurredAt: '2024-03-01T10:00:00Z',
        source: 'marketplace-api',
        data: { role: 'member' },
        personalData: { identification: { email: 'ana@example.fr' }, usage: { plan: 'pro' } },
      },
    });
  const get = (path: string, key?: string) => ledger.request('GET', path, { key });
  const ack = (system: string, id: string, key = WAREHOUSE_KEY) =>
    ledger.request('POST', `/v1/systems/${system}/commands/${id}/ack`, { key });
  const record = async (recordKey: string, category: string) => {
    const { body } = await get('/v1/subjects/user-1/retention', KEYS.compliance);
    return body.records.find((r: any) => r.recordKey === recordKey && r.category === category);
  };

  it('issues, signs, retries, dead-letters, serves pulls and reports what is overdue', async () => {
    await start();
    expect((await publishMember('user-1')).status).toBe(201);

    // The account ends: usage is archived; ticketing and the warehouse hold usage.
    await sweepAt('2026-03-02T00:00:00Z');
    await settle();
    const [archived] = await facts('RecordArchived');
    const issued = await facts('CommandIssued');
    expect(issued.map((e) => e.data.system).sort()).toEqual(['tickets', 'warehouse']);
    for (const command of issued) {
      expect(command.eventId).toBe(command.data.commandId);
      expect(command.subject).toBe(archived.subject);
      expect(command.data).toMatchObject({
        action: 'archive',
        subject: archived.subject,
        recordKey: 'account',
        category: 'usage',
        factEventId: archived.eventId,
        issuedAt: '2026-03-02T00:00:00.000Z',
      });
    }
    expect(issued.find((e) => e.data.system === 'warehouse')!.data.dueBy).toBe(
      '2026-03-03T00:00:00.000Z',
    );

    // Ticketing answers 503 twice: given up, as an event; never tried again.
    expect(tickets.received).toHaveLength(2);
    const [deadLetter] = await facts('CommandDeadLettered');
    expect(deadLetter.data).toMatchObject({ system: 'tickets', tries: 2, lastError: 'http-503' });
    await settle();
    expect(tickets.received).toHaveLength(2);

    // Renewal of matchmaking: the CRM gets it signed, fails once, takes it the second time.
    await sweepAt('2029-03-02T00:00:00Z');
    await settle();
    expect(crm.received).toHaveLength(2);
    const [first, second] = crm.received;
    expect(second.headers['x-ledger-command-id']).toBe(first.headers['x-ledger-command-id']);
    expect(second.body).toBe(first.body);
    for (const request of crm.received) {
      const timestamp = String(request.headers['x-ledger-timestamp']);
      const signature = String(request.headers['x-ledger-signature']);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      const now = Math.floor(Date.now() / 1000);
      expect(verifyCommandSignature(CRM_SECRET, timestamp, request.body, signature, now)).toBe(
        true,
      );
      expect(verifyCommandSignature(TICKETS_SECRET, timestamp, request.body, signature, now)).toBe(
        false,
      );
      // A replay with another timestamp does not verify.
      expect(
        verifyCommandSignature(
          CRM_SECRET,
          String(Number(timestamp) - 1),
          request.body,
          signature,
          now,
        ),
      ).toBe(false);
    }
    const crmCommand = JSON.parse(first.body);
    expect(crmCommand).toMatchObject({
      system: 'crm',
      action: 'request-renewal',
      subjectId: 'user-1',
      subject: archived.subject,
      recordKey: 'account',
      category: 'identification',
      issuedAt: '2029-03-02T00:00:00.000Z',
      dueBy: '2029-03-04T00:00:00.000Z',
    });
    const acks = await facts('CommandAcknowledged');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({
      eventId: acknowledgementIdOf(crmCommand.commandId),
      data: { system: 'crm', commandId: crmCommand.commandId, via: 'webhook' },
    });

    // Pull: who may, and what they get.
    expect((await get('/v1/systems/warehouse/commands')).status).toBe(401);
    expect((await get('/v1/systems/warehouse/commands', KEYS.compliance)).status).toBe(403);
    expect((await get('/v1/systems/crm/commands', WAREHOUSE_KEY)).status).toBe(403);
    expect((await get('/v1/systems/nowhere/commands', KEYS.admin)).status).toBe(404);
    expect((await get('/v1/systems/Bad_Id/commands', KEYS.admin)).status).toBe(400);
    expect((await get('/v1/systems/warehouse/commands?limit=0', WAREHOUSE_KEY)).status).toBe(400);
    const pulled = await get('/v1/systems/warehouse/commands', WAREHOUSE_KEY);
    expect(pulled.status).toBe(200);
    expect(pulled.body.commands.map((c: any) => `${c.action} ${c.category}`)).toEqual([
      'archive usage',
      'request-renewal identification',
    ]);
    expect((await ack('warehouse', 'not-a-uuid')).status).toBe(400);
    expect((await ack('warehouse', randomUUID())).status).toBe(404);
    expect((await ack('warehouse', crmCommand.commandId)).status).toBe(404);
    expect((await ack('crm', crmCommand.commandId)).status).toBe(403);

    // Overdue at the clock's now: the warehouse's archive command (SLA 1 day, issued 2026)
    // and the dead-lettered one; not the renewal, issued today.
    const overdue = await get('/v1/compliance/overdue', KEYS.compliance);
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((i: any) => [i.system, i.action, i.deadLettered])).toEqual([
      ['tickets', 'archive', true],
      ['warehouse', 'archive', false],
    ]);
    expect(overdue.body.items[0]).toMatchObject({ subjectId: 'user-1', tries: 2 });
    expect((await get('/v1/compliance/overdue', WAREHOUSE_KEY)).status).toBe(403);

    const [archiveCommand] = pulled.body.commands;
    const acked = await ack('warehouse', archiveCommand.commandId);
    expect(acked).toMatchObject({ status: 200, body: { duplicate: false } });
    const again = await ack('warehouse', archiveCommand.commandId);
    expect(again.body).toEqual({ ...acked.body, duplicate: true });
    expect((await get('/v1/systems/warehouse/commands', WAREHOUSE_KEY)).body.commands).toHaveLength(
      1,
    );
    ledger.clock.set(new Date('2029-03-05T00:00:00Z'));
    const later = await get('/v1/compliance/overdue', KEYS.compliance);
    expect(later.body.items.map((i: any) => `${i.system} ${i.action}`)).toEqual([
      'tickets archive',
      'warehouse request-renewal',
    ]);

    // The usage record is erased: fully erased only once both systems holding usage say so.
    await sweepAt('2031-03-02T00:00:00Z');
    await settle();
    const usage = await record('account', 'usage');
    expect(usage).toMatchObject({ phase: 'erased', fullyErased: false });
    const erase = usage.downstream.pending.filter((c: any) => c.action === 'erase');
    expect(erase.map((c: any) => `${c.system} ${c.status}`).sort()).toEqual([
      'tickets dead-lettered',
      'warehouse pending',
    ]);
    expect(usage.downstream.acknowledged.map((c: any) => c.system)).toEqual(['warehouse']);
    for (const command of erase) {
      const key = command.system === 'warehouse' ? WAREHOUSE_KEY : KEYS.admin;
      expect((await ack(command.system, command.commandId, key)).status).toBe(200);
    }
    expect(await record('account', 'usage')).toMatchObject({ fullyErased: true });
    // Archived, not erased: no fullyErased.
    expect(await record('account', 'identification')).not.toHaveProperty('fullyErased');

    // One command per fact and system, never two: archive and erase usage (tickets,
    // warehouse), renewal and archive of identification (crm, warehouse).
    const ids = (await facts('CommandIssued')).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(8);
  }, 60_000);

  it('names the subject by its platform id, and forgets the link once every system has acknowledged the last erasure', async () => {
    await start();
    expect((await publishMember('user-1')).status).toBe(201);
    const vault = ledger.app.get<KeyVault>(KEY_VAULT);
    const pseudonym = (await vault.pseudonymOf('user-1', { create: false }))!;

    // The person asks to be forgotten: both records are erased at once, the last one keeps
    // the link because three systems hold the categories and must be told who it is.
    const erasure = await ledger.request('POST', '/v1/subjects/user-1/requests', {
      key: KEYS.compliance,
      body: { right: 'erasure' },
    });
    expect(erasure.status).toBe(201);
    const erased = await facts('RecordErased');
    expect(erased).toHaveLength(2);
    expect(erased.map((e) => e.data.subjectLink ?? 'still-needed')).toEqual([
      'still-needed',
      'kept-for-systems',
    ]);
    expect(await vault.liveKeysOf(pseudonym)).toEqual([]);
    // The platform id finds the subject no more; the pseudonym still names it for the systems.
    expect(await vault.pseudonymOf('user-1', { create: false })).toBeUndefined();
    expect((await get('/v1/subjects/user-1/retention', KEYS.compliance)).status).toBe(404);
    expect(await vault.subjectIdOf(pseudonym)).toBe('user-1');
    await settle();

    // Every command says who, in the platform's terms; the log still never does.
    const sent = crm.received.map((r) => JSON.parse(r.body));
    expect(sent.map((c) => [c.action, c.category, c.subjectId, c.subject])).toEqual([
      ['erase', 'identification', 'user-1', pseudonym],
      ['erase', 'identification', 'user-1', pseudonym],
    ]);
    const pulled = await get('/v1/systems/warehouse/commands', WAREHOUSE_KEY);
    expect(pulled.body.commands.map((c: any) => `${c.category} ${c.subjectId}`).sort()).toEqual([
      'identification user-1',
      'usage user-1',
    ]);
    for (const fact of await facts('CommandIssued')) {
      expect(JSON.stringify(fact)).not.toContain('user-1');
    }

    // The warehouse acknowledges; ticketing's command is a dead letter: whoever closes it
    // needs the platform id, so the link stays.
    for (const command of pulled.body.commands) {
      expect((await ack('warehouse', command.commandId)).status).toBe(200);
    }
    await settle();
    expect(await facts('SubjectLinkForgotten')).toEqual([]);
    expect(await vault.subjectIdOf(pseudonym)).toBe('user-1');
    ledger.clock.set(new Date('2024-03-05T00:00:00Z'));
    const overdue = await get('/v1/compliance/overdue', KEYS.compliance);
    expect(overdue.body.items).toEqual([
      expect.objectContaining({ system: 'tickets', deadLettered: true, subjectId: 'user-1' }),
    ]);

    // An admin closes it by hand: the link goes, once, as an event.
    const ticketsCommand = overdue.body.items[0].commandId;
    expect((await ack('tickets', ticketsCommand, KEYS.admin)).status).toBe(200);
    expect(await ledger.app.get(DownstreamCommands).step()).toMatchObject({ linksForgotten: 1 });
    expect(await ledger.app.get(DownstreamCommands).step()).toMatchObject({ linksForgotten: 0 });
    const forgotten = await facts('SubjectLinkForgotten');
    expect(forgotten).toHaveLength(1);
    expect(forgotten[0]).toMatchObject({
      subject: pseudonym,
      data: { factEventId: erased[1].eventId },
    });
    expect(await vault.subjectIdOf(pseudonym)).toBeUndefined();
    const gone = await get('/v1/subjects/user-1/retention', KEYS.compliance);
    expect(gone.status).toBe(404);

    // Back later: a new pseudonym, and nothing of the old one is sent under the new id.
    expect((await publishMember('user-1')).status).toBe(201);
    expect(await vault.pseudonymOf('user-1', { create: false })).not.toBe(pseudonym);
  }, 60_000);

  it('tries a failed webhook again on its own timer, and documents the routes', async () => {
    await start();
    await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: randomUUID(),
        type: 'AccountCreated',
        subjectId: 'user-1',
        occurredAt: '2024-03-01T10:00:00Z',
        source: 'marketplace-api',
        data: { role: 'member' },
        personalData: { identification: { email: 'ana@example.fr' } },
      },
    });
    // The renewal question goes to the CRM, which fails the first try. One step only: the
    // second try comes from the retry timer (the sweep interval is a minute).
    await sweepAt('2029-03-02T00:00:00Z');
    await ledger.app.get(DownstreamCommands).step();
    expect(crm.received).toHaveLength(1);
    for (let i = 0; i < 100 && (await facts('CommandAcknowledged')).length === 0; i++) {
      await sleep(20);
    }
    expect(crm.received).toHaveLength(2);
    expect(await facts('CommandAcknowledged')).toHaveLength(1);

    const { body: openapi } = await get('/docs-json');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/systems/{system}/commands',
        '/v1/systems/{system}/commands/{commandId}/ack',
        '/v1/compliance/overdue',
      ]),
    );
  }, 30_000);

  it('refuses to start with a registry that names an unknown category or a bad webhook', async () => {
    const file = join(dir, 'systems.yaml');
    writeFileSync(
      file,
      `systems:
  - id: crm
    categories: [identification, shoe-size]
    acknowledgeWithin: P1M
    delivery: webhook
    webhook: { url: 'ftp://crm', secret: short }
`,
    );
    const failure = await startLedger({ env: { LEDGER_SYSTEMS: file } }).then(
      (started) => {
        ledger = started;
        return undefined;
      },
      (error: Error) => error,
    );
    expect(failure?.message).toContain(`${file}:3: unknown category "shoe-size"`);
    expect(failure?.message).toContain(`${file}:4: acknowledgeWithin of system "crm"`);
    expect(failure?.message).toContain(`${file}:6: the webhook url of system "crm"`);
    expect(failure?.message).not.toContain('short');
  });
});
