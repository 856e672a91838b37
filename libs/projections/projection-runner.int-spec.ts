import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLedgerEvent, subjectStreamName } from '../domain/events/ledger-event';
import { storedEvent } from '../domain/subjects/testing/stored-event';
import { formatPosition, type LogPosition } from '../event-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { loadPolicyFile } from '../policy/load-policy';
import { SqliteFillThreads } from './fill/fill-threads';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import type { ReadStore } from './read-store.port';
import { RetentionScheduleProjection } from './retention-schedule/retention-schedule.projection';
import { storedSchedule } from './retention-schedule/stored-schedule';
import { SqliteReadStore } from './sqlite/sqlite-read-store';
import { dumpReadModels } from './testing/read-model-dump';
import { writeSyntheticLog } from './testing/synthetic-log';

const policy = loadPolicyFile();
/** Small batches and chunks, so that a few hundred events cross every boundary. */
const SMALL: ProjectionRunnerOptions = {
  batchSize: 40,
  maxPending: 15,
  chunkSize: 7,
  retryDelayMs: 0,
};
/** The same, always folding the global log (never filling stream by stream). */
const SMALL_GLOBAL: ProjectionRunnerOptions = { ...SMALL, fillByStreams: false };

let dir: string;
let store: SqliteEventStore;
const opened: Array<{ close(): Promise<void> }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
  store = SqliteEventStore.open(join(dir, 'events.db'));
});
afterEach(async () => {
  for (const closable of opened.splice(0).reverse()) await closable.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function runner(file: string, options: ProjectionRunnerOptions = SMALL, projection = policy) {
  const readStore = SqliteReadStore.open(join(dir, file));
  const projectionRunner = new ProjectionRunner(
    store,
    readStore,
    new RetentionScheduleProjection(projection),
    options,
  );
  opened.push(readStore, { close: () => projectionRunner.stop() });
  return { runner: projectionRunner, readStore, file: join(dir, file) };
}

/** What a clean fold of the global log gives: the tables every other run must match. */
async function referenceDump(): Promise<string> {
  const clean = runner('reference.db', { fillByStreams: false });
  await clean.runner.start();
  expect(await clean.runner.waitForHead(10_000)).toBe(true);
  await clean.runner.stop();
  return dumpReadModels(clean.file);
}

async function head(): Promise<LogPosition> {
  let last: LogPosition | undefined;
  for (;;) {
    const batch = await store.readAll({ after: last, maxCount: 1000 });
    if (batch.length === 0) return last!;
    last = batch.at(-1)!.position;
  }
}

/** Whether the read-model file has its deadlines index, seen through a connection of its own. */
function hasDeadlinesIndex(file: string): boolean {
  const db = new Database(file, { readonly: true });
  try {
    const name = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'deadlines_by_due'";
    return db.prepare(name).get() !== undefined;
  } finally {
    db.close();
  }
}

function deadlinesQueryPlan(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM deadlines WHERE due_at < ?
         ORDER BY due_at, pseudonym, record_id LIMIT 10`,
      )
      .all('2100-01-01') as Array<{ detail: string }>;
    return plan.map((step) => step.detail).join('; ');
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the projection runner over SQLite', () => {
  it('catches up, then follows the log live, and says where it stands', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const { runner: projection, readStore } = runner('read-models.db');
    await projection.start();
    expect(await projection.waitForHead(10_000)).toBe(true);
    expect(projection.status()).toMatchObject({ caughtUp: true, checkpoint: '300/300' });
    expect(await readStore.dirtySubjects()).toEqual([]);

    const before = await storedSchedule(readStore, policy, 'ps-0000003');
    const event = storedEvent(
      'LastActivity',
      '2030-01-01T00:00:00.000Z',
      {},
      {
        eventId: 'ev-live',
        subject: 'ps-0000003',
      },
    );
    await store.appendToStream({
      streamName: subjectStreamName('ps-0000003'),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    expect(await projection.waitForHead(5000)).toBe(true);
    const after = await storedSchedule(readStore, policy, 'ps-0000003');
    expect(after).not.toEqual(before);
    expect(JSON.stringify(after)).toContain('ev-live');
    expect(projection.status().checkpoint).toBe('301/301');
  });

  it('replays after a crash before a commit, and skips nothing', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();

    let commits = 0;
    const crashing = runner('read-models.db', {
      ...SMALL_GLOBAL,
      beforeCommit: () => {
        if (++commits === 4) throw new Error('crash before commit');
      },
    });
    await crashing.runner.start();
    await until(() => crashing.runner.status().failure !== undefined);
    await crashing.runner.stop();
    const saved = await crashing.readStore.checkpoint('retention-schedule');
    expect(saved && formatPosition(saved.position)).not.toBe(formatPosition(await head()));

    const restarted = runner('read-models.db');
    await restarted.runner.start();
    expect(await restarted.runner.waitForHead(10_000)).toBe(true);
    await restarted.runner.stop();
    expect(dumpReadModels(restarted.file)).toBe(expected);
  });

  it('computes on restart the schedules a crash left dirty', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    const last = formatPosition(await head());

    const crashing = runner('read-models.db', {
      ...SMALL_GLOBAL,
      beforeCommit: (checkpoint) => {
        if (checkpoint && formatPosition(checkpoint) === last) throw new Error('crash');
      },
    });
    await crashing.runner.start();
    await until(() => crashing.runner.status().failure !== undefined);
    await crashing.runner.stop();
    expect((await crashing.readStore.dirtySubjects()).length).toBeGreaterThan(0);

    const restarted = runner('read-models.db');
    await restarted.runner.start();
    expect(await restarted.runner.waitForHead(10_000)).toBe(true);
    await restarted.runner.stop();
    expect(dumpReadModels(restarted.file)).toBe(expected);
  });

  it('runs again by itself after a failure', async () => {
    await writeSyntheticLog(store, { subjects: 20, events: 200 });
    const expected = await referenceDump();
    let failures = 0;
    const errors: unknown[] = [];
    const flaky = runner('read-models.db', {
      ...SMALL,
      retryDelayMs: 10,
      onError: (error) => errors.push(error),
      beforeCommit: () => {
        if (failures++ < 2) throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
      },
    });
    await flaky.runner.start();
    expect(await flaky.runner.waitForHead(10_000)).toBe(true);
    expect(errors).toHaveLength(2);
    expect(flaky.runner.status().failure).toBeUndefined();
    await flaky.runner.stop();
    expect(dumpReadModels(flaky.file)).toBe(expected);
  });

  it('rebuilds byte-identical tables from the log', async () => {
    const live = runner('read-models.db');
    await live.runner.start();
    // Built live, a few events at a time, then rebuilt in one catch-up.
    for (let round = 0; round < 5; round++) {
      await writeSyntheticLog(store, {
        subjects: 10,
        events: 40,
        seed: round + 1,
        idPrefix: `r${round}`,
      });
      expect(await live.runner.waitForHead(5000)).toBe(true);
    }
    const built = dumpReadModels(live.file);
    expect(built).toContain('-- deadlines');

    await live.runner.rebuild();
    expect(await live.runner.waitForHead(10_000)).toBe(true);
    expect(dumpReadModels(live.file)).toBe(built);
  });

  it('recomputes every schedule when the policy changed', async () => {
    await writeSyntheticLog(store, { subjects: 10, events: 50 });
    const first = runner('read-models.db');
    await first.runner.start();
    expect(await first.runner.waitForHead(5000)).toBe(true);
    await first.runner.stop();
    const purposes = async (readStore: ReadStore) =>
      (await readStore.recordsByPurposeAndPhase()).map((c) => c.purpose);
    expect(await purposes(first.readStore)).toContain('platform-access');
    const withoutPlatformAccess = {
      ...policy,
      purposes: policy.purposes.filter((p) => p.id !== 'platform-access'),
      sha256: 'f'.repeat(64),
    };
    const second = runner('read-models.db', SMALL, withoutPlatformAccess);
    await second.runner.start();
    expect(await second.runner.waitForHead(5000)).toBe(true);
    expect(await purposes(second.readStore)).not.toContain('platform-access');
    expect(await second.readStore.dirtySubjects()).toEqual([]);
  });

  it('reports which deadlines a policy change moved', async () => {
    await writeSyntheticLog(store, { subjects: 10, events: 80 });
    const first = runner('read-models.db');
    await first.runner.start();
    expect(await first.runner.waitForHead(5000)).toBe(true);
    await first.runner.stop();
    expect(await first.readStore.policyChange('retention-schedule')).toBeUndefined();

    const shorterStatistics = {
      ...policy,
      purposes: policy.purposes.map((p) =>
        p.id !== 'statistics'
          ? p
          : {
              ...p,
              rules: p.rules.map((r) => ({
                ...r,
                activeUntil: {
                  clock: 'collectedAt',
                  plus: { iso: 'P2M', years: 0, months: 2, days: 0 },
                },
              })),
            },
      ),
      sha256: 'e'.repeat(64),
    };
    const second = runner('read-models.db', SMALL, shorterStatistics);
    await second.runner.start();
    expect(await second.runner.waitForHead(5000)).toBe(true);
    const change = await second.readStore.policyChange('retention-schedule');
    expect(change).toMatchObject({
      from: expect.stringContaining(policy.sha256),
      to: expect.stringContaining('eeee'),
    });
    expect(change!.moved).toBeGreaterThan(0);
    expect(change).toMatchObject({ added: 0, removed: 0 });
  });

  it('fills from nothing stream by stream: the tables of the global fold, each subject written once', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    const written: string[][] = [];
    const filling = runner('read-models.db', { ...SMALL });
    const commit = filling.readStore.commit.bind(filling.readStore);
    filling.readStore.commit = (changes, hooks) => {
      written.push(changes.subjects.map((s) => s.pseudonym));
      return commit(changes, hooks);
    };
    await filling.runner.start();
    expect(await filling.runner.waitForHead(10_000)).toBe(true);
    expect(filling.runner.status()).toMatchObject({ caughtUp: true, checkpoint: '300/300' });
    await filling.runner.stop();

    expect(dumpReadModels(filling.file)).toBe(expected);
    expect(await filling.readStore.dirtySubjects()).toEqual([]);
    const subjects = written.flat();
    expect(subjects).toHaveLength(30);
    expect(subjects).toEqual([...subjects].sort());
    expect(written.length).toBeGreaterThan(1);
  });

  it('fills on two threads: the same tables, each subject written once', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    const written: string[] = [];
    const filling = runner('read-models.db', {
      ...SMALL,
      fillThreads: new SqliteFillThreads(store, 2),
    });
    const commit = filling.readStore.commit.bind(filling.readStore);
    filling.readStore.commit = (changes, hooks) => {
      expect(changes.subjects).toEqual([]);
      written.push(...(changes.encoded ?? []).map((s) => s.pseudonym));
      return commit(changes, hooks);
    };
    await filling.runner.start();
    expect(await filling.runner.waitForHead(20_000)).toBe(true);
    expect(filling.runner.status()).toMatchObject({ caughtUp: true, checkpoint: '300/300' });
    await filling.runner.stop();

    expect(dumpReadModels(filling.file)).toBe(expected);
    expect(written).toHaveLength(30);
    expect(new Set(written).size).toBe(30);
  });

  it('fills again on threads after a write failed in the middle of a threaded fill', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    let commits = 0;
    const threads = new SqliteFillThreads(store, 2);
    const crashing = runner('read-models.db', {
      ...SMALL,
      fillThreads: threads,
      retryDelayMs: 10,
      beforeCommit: () => {
        if (++commits === 2) throw new Error('crash before commit');
      },
    });
    await crashing.runner.start();
    expect(await crashing.runner.waitForHead(20_000)).toBe(true);
    await crashing.runner.stop();
    expect(commits).toBeGreaterThan(4);
    expect(dumpReadModels(crashing.file)).toBe(expected);
  });

  it('fills a store from nothing without the deadlines index, and builds it once caught up', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    const indexAtCommits: boolean[] = [];
    const filling = runner('read-models.db', {
      ...SMALL,
      beforeCommit: () => indexAtCommits.push(hasDeadlinesIndex(filling.file)),
    });
    expect(hasDeadlinesIndex(filling.file)).toBe(true);
    await filling.runner.start();
    expect(await filling.runner.waitForHead(10_000)).toBe(true);
    await filling.runner.stop();

    expect(indexAtCommits.length).toBeGreaterThan(3);
    expect(indexAtCommits.every((present) => !present)).toBe(true);
    expect(hasDeadlinesIndex(filling.file)).toBe(true);
    expect(deadlinesQueryPlan(filling.file)).toContain('deadlines_by_due');
    expect(dumpReadModels(filling.file)).toBe(expected);
  });

  it('stops a threaded fill in its middle, and fills again on the next start', async () => {
    await writeSyntheticLog(store, { subjects: 300, events: 3000 });
    const expected = await referenceDump();
    let commits = 0;
    const stopping = runner('read-models.db', {
      ...SMALL,
      fillThreads: new SqliteFillThreads(store, 2),
      beforeCommit: () => void (commits += 1),
    });
    await stopping.runner.start();
    await until(() => commits > 0);
    await stopping.runner.stop();
    const committed = commits;
    expect(committed).toBeLessThan(300 / 7);
    expect(await stopping.readStore.checkpoint('retention-schedule')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(commits).toBe(committed);

    const restarted = runner('read-models.db', {
      ...SMALL,
      fillThreads: new SqliteFillThreads(store, 2),
    });
    await restarted.runner.start();
    expect(await restarted.runner.waitForHead(20_000)).toBe(true);
    await restarted.runner.stop();
    expect(dumpReadModels(restarted.file)).toBe(expected);
  });

  it('fills again from nothing after a crash in the middle of a fill, and builds the index then', async () => {
    await writeSyntheticLog(store, { subjects: 30, events: 300 });
    const expected = await referenceDump();
    let commits = 0;
    const crashing = runner('read-models.db', {
      ...SMALL,
      beforeCommit: () => {
        if (++commits === 3) throw new Error('crash before commit');
      },
    });
    await crashing.runner.start();
    await until(() => crashing.runner.status().failure !== undefined);
    await crashing.runner.stop();
    expect(await crashing.readStore.checkpoint('retention-schedule')).toBeUndefined();
    expect(hasDeadlinesIndex(crashing.file)).toBe(false);

    // The deadlines written so far are still answered without it, soonest first, by a scan.
    const due = await crashing.readStore.deadlines({
      before: '2100-01-01T00:00:00.000Z',
      limit: 5,
    });
    expect(due).toHaveLength(5);
    expect(due.map((d) => d.dueAt)).toEqual(due.map((d) => d.dueAt).sort());

    const restarted = runner('read-models.db');
    await restarted.runner.start();
    expect(await restarted.runner.waitForHead(10_000)).toBe(true);
    await restarted.runner.stop();
    expect(hasDeadlinesIndex(restarted.file)).toBe(true);
    expect(dumpReadModels(restarted.file)).toBe(expected);
  });

  it('keeps the deadlines index when it goes on from a checkpoint', async () => {
    await writeSyntheticLog(store, { subjects: 10, events: 50 });
    const first = runner('read-models.db');
    await first.runner.start();
    expect(await first.runner.waitForHead(5000)).toBe(true);
    await first.runner.stop();

    await writeSyntheticLog(store, { subjects: 10, events: 50, seed: 9, idPrefix: 'more' });
    const indexAtCommits: boolean[] = [];
    const next = runner('read-models.db', {
      ...SMALL,
      beforeCommit: () => indexAtCommits.push(hasDeadlinesIndex(next.file)),
    });
    await next.runner.start();
    expect(await next.runner.waitForHead(5000)).toBe(true);
    expect(indexAtCommits.length).toBeGreaterThan(0);
    expect(indexAtCommits.every((present) => present)).toBe(true);
  });

  it('answers false when it cannot reach the head in time', async () => {
    await writeSyntheticLog(store, { subjects: 5, events: 20 });
    const idle = runner('read-models.db');
    expect(await idle.runner.waitForHead(50)).toBe(false);
    expect(idle.runner.status()).toMatchObject({
      running: false,
      caughtUp: false,
      checkpoint: null,
    });
  });
});
