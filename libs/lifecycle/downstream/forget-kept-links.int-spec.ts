import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMasterKey } from '../../crypto/master-key';
import { openSqliteKeyVault, type SqliteKeyVault } from '../../crypto/sqlite-key-vault';
import { FixedClock } from '../../domain/clock';
import {
  decodeLedgerEvent,
  encodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../../domain/events/ledger-event';
import { storedEvent } from '../../domain/subjects/testing/stored-event';
import type { EventStore } from '../../event-store';
import { MemoryEventStore } from '../../event-store/memory/memory-event-store';
import { NO_FAULTS, type LifecycleFaults } from '../saga/lifecycle-faults';
import { acknowledgeCommand } from './command-events';
import { issueOwedCommands } from './command-issuer';
import type { SystemsRegistry } from './downstream-systems';
import { forgetKeptLinks } from './forget-kept-links';
import { SqliteCommandStore } from './sqlite-command-store';

const REGISTRY: SystemsRegistry = {
  systems: [
    {
      id: 'crm',
      categories: ['identification'],
      acknowledgeWithin: 'P1D',
      acknowledgeWithinMs: 86_400_000,
      delivery: { kind: 'pull' },
    },
  ],
};

/**
 * The platform id kept past the last erasure, against a real vault file and command store:
 * it goes once every command is acknowledged, once, through a crash.
 */
describe('forgetting the links kept for the systems', () => {
  let dir: string;
  let log: MemoryEventStore;
  let vault: SqliteKeyVault;
  let commands: SqliteCommandStore;
  let pseudonym: string;
  const clock = new FixedClock(new Date('2030-01-02T00:00:00.000Z'));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-links-'));
    log = new MemoryEventStore();
    vault = openSqliteKeyVault(
      join(dir, 'vault.db'),
      parseMasterKey(randomBytes(32).toString('base64')),
    );
    commands = SqliteCommandStore.open(join(dir, 'downstream.db'), REGISTRY);
    pseudonym = (await vault.pseudonymOf('user-1', { create: true }))!;
    await append(created('2024-01-01T00:00:00.000Z'));
    await vault.eraseRecordKeys({ keyIds: [], forgetSubject: pseudonym, keepSubjectId: true });
    await append(lastErased());
    await issueOwedCommands({ store: log, commands, registry: REGISTRY, clock });
  });
  afterEach(async () => {
    await vault.close();
    await commands.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (event: LedgerEventV1) =>
    log.appendToStream({
      streamName: subjectStreamName(pseudonym),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
  const created = (at: string) =>
    storedEvent(
      'AccountCreated',
      at,
      { role: 'member' },
      { subject: pseudonym, personalData: [{ recordKey: 'account', category: 'identification' }] },
    );
  const lastErased = () =>
    storedEvent(
      'RecordErased',
      '2030-01-01T00:00:00.000Z',
      {
        recordKey: 'account',
        category: 'identification',
        policyVersion: '2023-01-24',
        purposes: ['platform-access'],
        dueAt: '2030-01-01T00:00:00.000Z',
        because: [],
        keyFingerprint: 'ab'.repeat(32),
        subjectLink: 'kept-for-systems',
      },
      { subject: pseudonym, source: 'ledger', eventId: '22222222-2222-4222-8222-222222222222' },
    );
  const acknowledgeAll = async () => {
    for (const row of commands.unacknowledged('crm', 100)) {
      await acknowledgeCommand({ store: log, commands, clock }, row, 'pull');
    }
  };
  const forget = (faults: LifecycleFaults = NO_FAULTS) =>
    forgetKeptLinks({ store: log, commands, vault, clock, faults });
  const forgottenEvents = async () =>
    (await log.readAll({ maxCount: 1000 }))
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.type === 'SubjectLinkForgotten');

  it('keeps the link while a command is unacknowledged, then forgets it once, as an event', async () => {
    expect(await forget()).toBe(0);
    expect(await vault.subjectIdOf(pseudonym)).toBe('user-1');
    await acknowledgeAll();
    expect(await forget()).toBe(1);
    expect(await vault.subjectIdOf(pseudonym)).toBeUndefined();
    const [event] = await forgottenEvents();
    expect(event).toMatchObject({
      subject: pseudonym,
      source: 'ledger',
      data: { factEventId: lastErased().eventId, forgottenAt: '2030-01-02T00:00:00.000Z' },
    });
    expect(await forget()).toBe(0);
    expect(await forgottenEvents()).toHaveLength(1);
  });

  it('forgets the link killed between the vault and the event, and writes the event once', async () => {
    await acknowledgeAll();
    const crash: LifecycleFaults = {
      reached: (point) => {
        if (point === 'link-forgotten') throw new Error('killed');
      },
    };
    await expect(forget(crash)).rejects.toThrow('killed');
    expect(await vault.subjectIdOf(pseudonym)).toBeUndefined();
    expect(await forgottenEvents()).toHaveLength(0);
    expect(await forget()).toBe(1);
    expect(await forgottenEvents()).toHaveLength(1);
  });

  it('does not bring back a forgotten link when another thread applies an older batch', async () => {
    await acknowledgeAll();
    expect(await forget()).toBe(1);
    // A second connection whose read of the log came before the first one applied it all.
    const other = SqliteCommandStore.open(join(dir, 'downstream.db'), REGISTRY);
    const before = await log.readAll({ maxCount: 2 });
    const stale: EventStore = Object.assign(Object.create(log) as EventStore, {
      readAll: async () => before,
    });
    await other.catchUp(stale);
    expect(other.linksNoLongerNeeded(10)).toEqual([]);
    await other.close();
  });
});
