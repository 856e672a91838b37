import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLedgerEvent, subjectStreamName } from '../../domain/events/ledger-event';
import { MemoryEventStore } from '../../event-store/memory/memory-event-store';
import { FixedClock } from '../../domain/clock';
import type { EventStore } from '../../event-store';
import { commandEvent } from './command-events';
import { issueOwedCommands } from './command-issuer';
import { acknowledgementIdOf, commandIdOf, deadLetterIdOf } from './downstream-commands';
import type { DownstreamSystem, SystemsRegistry } from './downstream-systems';
import { openDatabase } from '../../sqlite/open-database';
import { SqliteCommandStore } from './sqlite-command-store';

const system = (id: string, categories: string[]): DownstreamSystem => ({
  id,
  categories,
  acknowledgeWithin: 'P1D',
  acknowledgeWithinMs: 86_400_000,
  delivery: { kind: 'pull' },
});
const REGISTRY: SystemsRegistry = {
  systems: [system('crm', ['identification']), system('warehouse', ['identification', 'usage'])],
};
const FACT = '11111111-1111-4111-8111-111111111111';

/** The commands read model, fed by a real (memory) log and kept in a real SQLite file. */
describe('SqliteCommandStore', () => {
  let dir: string;
  let log: MemoryEventStore;
  const open = (registry = REGISTRY) =>
    SqliteCommandStore.open(join(dir, 'downstream.db'), registry);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-commands-'));
    log = new MemoryEventStore();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const append = async (event: Parameters<typeof encodeLedgerEvent>[0]) =>
    log.appendToStream({
      streamName: subjectStreamName('p1'),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
  const erased = (category: string, eventId = FACT) =>
    append({
      v: 1,
      eventId,
      type: 'RecordErased',
      subject: 'p1',
      occurredAt: '2030-01-01T00:00:00.000Z',
      recordedAt: '2030-01-01T00:00:00.000Z',
      source: 'ledger',
      data: { recordKey: 'account', category },
    });
  const issue = (systemId: string) => {
    const commandId = commandIdOf(systemId, FACT);
    const at = '2030-01-02T00:00:00.000Z';
    const data = {
      system: systemId,
      commandId,
      action: 'erase' as const,
      subject: 'p1',
      recordKey: 'account',
      category: 'identification',
      factEventId: FACT,
      issuedAt: at,
      dueBy: '2030-01-03T00:00:00.000Z',
    };
    return log.appendToStream({
      streamName: subjectStreamName('p1'),
      expectedRevision: 'any',
      events: [commandEvent(commandId, 'CommandIssued', 'p1', at, data)],
    });
  };
  const ledgerFact = (type: 'CommandAcknowledged' | 'CommandDeadLettered', systemId: string) => {
    const commandId = commandIdOf(systemId, FACT);
    const at = '2030-01-04T00:00:00.000Z';
    const eventId =
      type === 'CommandAcknowledged' ? acknowledgementIdOf(commandId) : deadLetterIdOf(commandId);
    const data =
      type === 'CommandAcknowledged'
        ? { system: systemId, commandId, acknowledgedAt: at, via: 'pull' as const }
        : { system: systemId, commandId, tries: 3, lastError: 'http-500', deadLetteredAt: at };
    return log.appendToStream({
      streamName: subjectStreamName('p1'),
      expectedRevision: 'any',
      events: [commandEvent(eventId, type, 'p1', at, data)],
    });
  };
  const statuses = (store: SqliteCommandStore) =>
    store.ofSubject('p1').map((r) => `${r.system} ${r.status}`);

  it('owes one command per system holding the category, until it is issued', async () => {
    const store = open();
    await erased('identification');
    await erased('usage', '22222222-2222-4222-8222-222222222222');
    await store.catchUp(log);
    expect(statuses(store).sort()).toEqual(['crm owed', 'warehouse owed', 'warehouse owed']);
    await issue('crm');
    await store.catchUp(log);
    expect(store.command(commandIdOf('crm', FACT))).toMatchObject({
      status: 'pending',
      issuedAt: '2030-01-02T00:00:00.000Z',
      dueBy: '2030-01-03T00:00:00.000Z',
    });
    expect(store.owed(10).map((r) => r.system)).toEqual(['warehouse', 'warehouse']);
    await store.close();
  });

  it('only moves forward: an acknowledgement after a dead letter closes the command', async () => {
    const store = open();
    await erased('identification');
    await issue('crm');
    await ledgerFact('CommandDeadLettered', 'crm');
    await store.catchUp(log);
    expect(store.command(commandIdOf('crm', FACT))?.status).toBe('dead-lettered');
    expect(store.overdue('2030-01-05T00:00:00.000Z', 10).map((r) => r.system)).toEqual(['crm']);
    await ledgerFact('CommandAcknowledged', 'crm');
    await store.catchUp(log);
    expect(store.command(commandIdOf('crm', FACT))).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: '2030-01-04T00:00:00.000Z',
    });
    expect(store.overdue('2030-01-05T00:00:00.000Z', 10)).toEqual([]);
    // Nothing reopens it: a dead letter or an issue seen again (a replay) is a no-op.
    const closed = store.command(commandIdOf('crm', FACT))!;
    store.moveTo(closed.commandId, 'dead-lettered');
    store.markIssued({ ...closed, issuedAt: '2031-01-01T00:00:00.000Z', dueBy: 'x' } as never);
    expect(store.command(closed.commandId)).toEqual(closed);
    await store.close();
  });

  it('gives the same rows when the log is applied again from the start', async () => {
    await erased('identification');
    await issue('crm');
    await ledgerFact('CommandAcknowledged', 'crm');
    const first = open();
    await first.catchUp(log);
    const once = first.ofSubject('p1');
    await first.close();
    // A second file replays from nothing; the first, reopened, has nothing left to apply.
    const again = SqliteCommandStore.open(join(dir, 'again.db'), REGISTRY);
    await again.catchUp(log);
    expect(again.ofSubject('p1')).toEqual(once);
    const reopened = open();
    await reopened.catchUp(log);
    expect(reopened.ofSubject('p1')).toEqual(once);
    await again.close();
    await reopened.close();
  });

  it('replays the log for another registry: a system added later is owed past facts', async () => {
    await erased('usage');
    const before = open({ systems: [system('crm', ['identification'])] });
    await before.catchUp(log);
    expect(statuses(before)).toEqual([]);
    await before.close();
    const after = open();
    await after.catchUp(log);
    expect(statuses(after)).toEqual(['warehouse owed']);
    await after.close();
  });

  it('issues each owed command once, even when two issuers race', async () => {
    await erased('identification');
    const clock = new FixedClock(new Date('2030-01-02T00:00:00Z'));
    const first = open();
    const second = SqliteCommandStore.open(join(dir, 'second.db'), REGISTRY);
    await second.catchUp(log);
    expect(
      await issueOwedCommands({ store: log, commands: first, registry: REGISTRY, clock }),
    ).toBe(2);
    // The second saw the fact before the first issued, and reads the log late: its appends
    // are refused as duplicates, one by one, and it counts nothing.
    const lagging: EventStore = Object.assign(Object.create(log), { readAll: async () => [] });
    expect(
      await issueOwedCommands({ store: lagging, commands: second, registry: REGISTRY, clock }),
    ).toBe(0);
    expect(statuses(second).sort()).toEqual(['crm pending', 'warehouse pending']);
    const all = await log.readAll({ maxCount: 100 });
    expect(all.filter((e) => e.type === 'CommandIssued')).toHaveLength(2);
    await first.close();
    await second.close();
  });

  describe('rights requests waiting for an answer', () => {
    const request = (
      type: 'RightsRequestReceived' | 'RightsRequestAnswered',
      id: string,
      at: string,
    ) =>
      append({
        v: 1,
        eventId: `${type}-${id}`,
        type,
        subject: 'p1',
        occurredAt: at,
        recordedAt: at,
        // A platform publishes requests too; the ledger writes the answers.
        source: type === 'RightsRequestReceived' ? 'marketplace-api' : 'ledger',
        data: { requestId: id, right: 'access' },
      });

    it('lists a request once its month is up, until it is answered, across restarts', async () => {
      await request('RightsRequestReceived', 'R1', '2030-01-31T10:00:00.000Z');
      await request('RightsRequestReceived', 'R2', '2030-01-10T10:00:00.000Z');
      const store = open();
      await store.catchUp(log);
      expect(store.overdueRequests(new Date('2030-02-28T10:00:00.000Z'), 10)).toEqual([
        {
          subject: 'p1',
          requestId: 'R2',
          right: 'access',
          receivedAt: '2030-01-10T10:00:00.000Z',
          answerDueBy: '2030-02-10T10:00:00.000Z',
        },
      ]);
      await store.close();
      // Reopened: the table is in the file, the log is not read again.
      const reopened = open();
      expect(reopened.overdueRequests(new Date('2030-03-01T00:00:00.000Z'), 10)).toHaveLength(2);
      await request('RightsRequestAnswered', 'R2', '2030-03-01T00:00:00.000Z');
      await reopened.catchUp(log);
      expect(
        reopened.overdueRequests(new Date('2030-03-01T00:00:00.000Z'), 10).map((r) => r.requestId),
      ).toEqual(['R1']);
      await reopened.close();
    });

    it('reads the log again from its start into a file written before the table existed', async () => {
      await request('RightsRequestReceived', 'R1', '2030-01-10T10:00:00.000Z');
      const store = open();
      await store.catchUp(log);
      await store.close();
      const raw = openDatabase(join(dir, 'downstream.db'));
      raw.exec(
        `DROP TABLE rights_requests_unanswered; DELETE FROM downstream_meta WHERE name = 'model'`,
      );
      raw.close();
      const upgraded = open();
      await upgraded.catchUp(log);
      expect(upgraded.overdueRequests(new Date('2030-03-01T00:00:00.000Z'), 10)).toHaveLength(1);
      await upgraded.close();
    });
  });
});
