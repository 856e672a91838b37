import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { protectEvents } from '../../../apps/api/publishing-events/protect-events';
import { DecryptionError } from '../../crypto/crypto.errors';
import { parseMasterKey } from '../../crypto/master-key';
import { openSqliteKeyVault } from '../../crypto/sqlite-key-vault';
import { FixedClock } from '../../domain/clock';
import { encodeLedgerEvent, subjectStreamName } from '../../domain/events/ledger-event';
import type { PublishedEvent } from '../../domain/events/published-event';
import { recordRefOf } from '../../domain/subjects/subject-state';
import { comparePositions } from '../../event-store';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { loadPolicyFile } from '../../policy/load-policy';
import { exportSubject, type SubjectExportDependencies } from '../subject-export/export-subject';
import { CHUNK_ITEMS } from './content-chunks';
import { SqliteSubjectContent } from './sqlite-subject-content';
import { SubjectContentRunner } from './subject-content-runner';

const policy = loadPolicyFile();
const SUBJECT = 'content-subject';
const OTHER = 'content-other';
const NOW = '2025-06-01T00:00:00.000Z';
const FIRST = Date.parse('2025-01-01T00:00:00Z');
/** Two full chunks for the busiest records (about half the events each), and a tail. */
const EVENTS = CHUNK_ITEMS * 6 + 7;

function historyOf(subjectId: string, count: number, from = 0): PublishedEvent[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    const common = {
      eventId: `00000000-0000-4000-8000-${((subjectId === SUBJECT ? 0 : 1e6) + i).toString(16).padStart(12, '0')}`,
      subjectId,
      occurredAt: new Date(FIRST + i * 60_000).toISOString(),
      source: 'test',
    };
    if (i === 0) {
      return {
        ...common,
        type: 'AccountCreated',
        data: { role: 'member' },
        personalData: { identification: { email: `${subjectId}@example.fr` } },
      } as PublishedEvent;
    }
    if (i % 17 === 0) {
      return {
        ...common,
        type: 'ReportShared',
        data: { reportId: `R-${i}`, recipientType: 'school', recipientId: 'school-1' },
        personalData: { usage: { meetings: i } },
      } as PublishedEvent;
    }
    return i % 2 === 0
      ? ({
          ...common,
          type: 'VisitRecorded',
          data: {},
          personalData: { navigation: { page: `/p/${i}`, note: 'a "quoted", comma' } },
        } as PublishedEvent)
      : ({
          ...common,
          type: 'LastActivity',
          data: {},
          personalData: { connection: { ip: `10.0.0.${i % 250}` } },
        } as PublishedEvent);
  });
}

/** The stored `RecordErased` the saga writes once the record's key is destroyed. */
function erasureOf(pseudonym: string, recordKey: string, category: string, keyId: string) {
  const event = {
    v: 1 as const,
    eventId: '00000000-0000-4000-8000-ffffffffffff',
    type: 'RecordErased',
    subject: pseudonym,
    occurredAt: NOW,
    recordedAt: NOW,
    source: 'ledger',
    data: {
      recordKey,
      category,
      policyVersion: policy.version,
      purposes: [],
      dueAt: NOW,
      because: [],
      keyFingerprint: 'f',
      destroyedKeys: [{ keyId, fingerprint: 'f' }],
    },
  };
  return { eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) };
}

describe('the subject-content read model', () => {
  let dir: string;
  let store: SqliteEventStore;
  let vault: ReturnType<typeof openSqliteKeyVault>;
  let content: SqliteSubjectContent;
  const clock = new FixedClock(new Date(NOW));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'subject-content-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    vault = openSqliteKeyVault(
      join(dir, 'vault.db'),
      parseMasterKey(Buffer.alloc(32, 7).toString('base64')),
    );
    content = SqliteSubjectContent.open(join(dir, 'subject-content.db'));
  });
  afterEach(async () => {
    content.close();
    await vault.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function publish(events: PublishedEvent[]): Promise<void> {
    for (const event of events) {
      const [stored] = await protectEvents(vault, [event], { recordedAt: NOW, digests: [''] });
      await store.appendToStream({
        streamName: subjectStreamName(stored.subject!),
        expectedRevision: 'any',
        events: [{ eventId: stored.eventId, type: stored.type, data: encodeLedgerEvent(stored) }],
      });
    }
  }

  async function caughtUp(runner: SubjectContentRunner): Promise<void> {
    runner.start();
    const [last] = await store
      .readAll({ after: undefined, maxCount: 1e9 })
      .then((e) => e.slice(-1));
    for (let i = 0; i < 500; i++) {
      const at = content.checkpoint();
      if (at && comparePositions(at, last.position) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the runner did not catch up');
  }

  const deps = (withContent: boolean): SubjectExportDependencies => ({
    store,
    vault,
    clock,
    policy: async () => policy,
    ...(withContent ? { content } : {}),
  });

  it('gives the export the same values as opening every sealed value of the stream', async () => {
    await publish([...historyOf(SUBJECT, EVENTS), ...historyOf(OTHER, 5)]);
    const runner = new SubjectContentRunner(store, vault, content, { batchSize: 10 });
    await caughtUp(runner);
    await runner.stop();

    const fromStream = await exportSubject(deps(false), SUBJECT);
    const fromChunks = await exportSubject(deps(true), SUBJECT);
    expect(fromChunks).toEqual(fromStream);
    const values = fromStream!.records.flatMap((r) => r.personalData ?? []);
    expect(values.length).toBeGreaterThan(EVENTS / 2);
    // Full chunks for the busy records, the rest in tails, nothing of another subject.
    const pseudonym = (await vault.pseudonymOf(SUBJECT, { create: false }))!;
    const { chunks, tail } = content.snapshot(pseudonym);
    expect(chunks.length).toBe(4);
    expect(chunks.every((c) => c.pseudonym === pseudonym && c.items === CHUNK_ITEMS)).toBe(true);
    expect(tail.every((e) => e.pseudonym === pseudonym)).toBe(true);
    expect(tail.filter((e) => e.recordId.endsWith('|navigation')).length).toBeLessThan(CHUNK_ITEMS);
    expect(chunks.reduce((n, c) => n + c.items, 0) + tail.length).toBe(EVENTS);

    // The export read those chunks: one flipped byte in one of them and it cannot open it.
    const file = new Database(join(dir, 'subject-content.db'));
    file
      .prepare('UPDATE content_chunks SET sealed = ? WHERE chunk_no = 1')
      .run(
        Buffer.from(
          chunks.find((c) => c.chunkNo === 1)!.sealed.map((b, i) => (i === 40 ? b ^ 1 : b)),
        ),
      );
    file.close();
    await expect(exportSubject(deps(true), SUBJECT)).rejects.toThrow(DecryptionError);
  });

  it('appends nothing twice when commits fail and the runner runs again', async () => {
    await publish(historyOf(SUBJECT, EVENTS));
    let commits = 0;
    const failing = new SubjectContentRunner(store, vault, content, {
      batchSize: 7,
      retryDelayMs: 5,
      beforeCommit: () => {
        commits += 1;
        if (commits % 3 === 0) throw new Error('crash before the commit');
      },
    });
    await caughtUp(failing);
    await failing.stop();
    expect(commits).toBeGreaterThan(EVENTS / 7);

    const fromChunks = await exportSubject(deps(true), SUBJECT);
    expect(fromChunks).toEqual(await exportSubject(deps(false), SUBJECT));
    const pseudonym = (await vault.pseudonymOf(SUBJECT, { create: false }))!;
    const { chunks, tail } = content.snapshot(pseudonym);
    expect(chunks.reduce((n, c) => n + c.items, 0) + tail.length).toBe(EVENTS);
  });

  it('opens the whole stream when a tail entry does not name the event at its place', async () => {
    await publish(historyOf(SUBJECT, 40));
    const runner = new SubjectContentRunner(store, vault, content);
    await caughtUp(runner);
    await runner.stop();
    const file = new Database(join(dir, 'subject-content.db'));
    const moved = file
      .prepare(
        "UPDATE content_tail SET revision = revision + 1 WHERE record_id LIKE '%|connection'",
      )
      .run();
    file.close();
    expect(moved.changes).toBeGreaterThan(0);

    const exported = await exportSubject(deps(true), SUBJECT);
    expect(exported).toEqual(await exportSubject(deps(false), SUBJECT));
    const connection = exported!.records.find((r) => r.category === 'connection');
    expect(connection?.personalData?.length).toBe(moved.changes);
  });

  it('is passed over while behind the stream, and the export still shows every value', async () => {
    await publish(historyOf(SUBJECT, 40));
    const runner = new SubjectContentRunner(store, vault, content);
    await caughtUp(runner);
    await runner.stop();
    await publish(historyOf(SUBJECT, 5, 40));

    const exported = await exportSubject(deps(true), SUBJECT);
    expect(exported).toEqual(await exportSubject(deps(false), SUBJECT));
    const pages = exported!.records.flatMap((r) => r.personalData ?? []).map((v) => v.eventId);
    expect(pages).toContain(historyOf(SUBJECT, 1, 44)[0].eventId);
  });

  it('leaves out a record whose key was destroyed, before or after it was chunked', async () => {
    await publish(historyOf(SUBJECT, EVENTS));
    const runner = new SubjectContentRunner(store, vault, content);
    await caughtUp(runner);
    await runner.stop();
    const pseudonym = (await vault.pseudonymOf(SUBJECT, { create: false }))!;
    const visits = content
      .snapshot(pseudonym)
      .chunks.find((c) => c.recordId.endsWith('|navigation'))!;
    await vault.destroyDataKey(visits.keyId);

    const exported = await exportSubject(deps(true), SUBJECT);
    expect(exported).toEqual(await exportSubject(deps(false), SUBJECT));
    const record = exported!.records.find((r) => r.category === 'navigation');
    expect(record?.personalData ?? []).toEqual([]);

    // The erasure's event names the destroyed key: its chunks are deleted, the rest kept.
    const { recordKey, category } = recordRefOf(visits.recordId);
    await store.appendToStream({
      streamName: subjectStreamName(pseudonym),
      expectedRevision: 'any',
      events: [erasureOf(pseudonym, recordKey, category, visits.keyId)],
    });
    const before = content.snapshot(pseudonym).chunks;
    await caughtUp(runner);
    await runner.stop();
    const after = content.snapshot(pseudonym).chunks;
    expect(after).toEqual(before.filter((c) => c.keyId !== visits.keyId));
    expect(after.length).toBeGreaterThan(0);
    const tailKeys = content.snapshot(pseudonym).tail.map((e) => e.keyId);
    expect(tailKeys.length).toBeGreaterThan(0);
    expect(tailKeys).not.toContain(visits.keyId);
    const erased = await exportSubject(deps(true), SUBJECT);
    expect(erased).toEqual(await exportSubject(deps(false), SUBJECT));
    expect(erased!.records.find((r) => r.category === 'navigation')?.phase).toBe('erased');

    // Rebuilt after the destruction: the erased values cannot be opened, so are not chunked.
    await runner.rebuild();
    await caughtUp(runner);
    await runner.stop();
    const rebuilt = content.snapshot(pseudonym).chunks;
    expect(rebuilt.some((c) => c.keyId === visits.keyId)).toBe(false);
    expect(await exportSubject(deps(true), SUBJECT)).toEqual(erased);
  });
});

describe('the subject-content file of an older layout', () => {
  it('is dropped on open, so that the runner rebuilds it from the log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'subject-content-v1-'));
    try {
      const file = join(dir, 'subject-content.db');
      const v1 = new Database(file);
      v1.exec(`
        CREATE TABLE content_chunks (pseudonym TEXT, record_id TEXT, chunk_no INTEGER,
          key_id TEXT, items INTEGER, sealed BLOB, PRIMARY KEY (pseudonym, record_id, chunk_no));
        CREATE TABLE content_checkpoint (id INTEGER PRIMARY KEY, commit_pos INTEGER, prepare_pos INTEGER);
        INSERT INTO content_chunks VALUES ('ps', 'account|identification', 0, 'k', 3, x'00');
        INSERT INTO content_checkpoint VALUES (1, 42, 42);
        PRAGMA user_version = 1;
      `);
      v1.close();

      const opened = SqliteSubjectContent.open(file);
      try {
        expect(opened.checkpoint()).toBeUndefined();
        expect(opened.snapshot('ps')).toEqual({ checkpoint: undefined, chunks: [], tail: [] });
      } finally {
        opened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
