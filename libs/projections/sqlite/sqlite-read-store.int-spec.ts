import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialSubjectState } from '../../domain/subjects/subject-state';
import { positionOf } from '../../event-store';
import { openDatabase } from '../../sqlite/open-database';
import type { Deadline, PurposePhaseCount, SubjectWrite } from '../read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

const PROJECTION = 'retention-schedule';

function subject(
  pseudonym: string,
  deadlines: Array<[string, string]>,
  purposePhases: PurposePhaseCount[] = [],
): SubjectWrite {
  return {
    pseudonym,
    state: initialSubjectState(pseudonym),
    readModel: {
      purposePhases,
      deadlines: deadlines.map(([recordId, dueAt]) => ({
        pseudonym,
        recordId,
        action: 'erase',
        dueAt,
      })),
    },
  };
}

describe('the SQLite read store', () => {
  let store: SqliteReadStore;
  beforeEach(() => (store = SqliteReadStore.open(':memory:')));
  afterEach(() => store.close());

  const commit = (subjects: SubjectWrite[], commit = 1n) =>
    store.commit({
      projection: PROJECTION,
      settings: 's',
      checkpoint: positionOf(commit),
      subjects,
    });

  it('pages deadlines soonest first, ties by subject and record, before the bound only', async () => {
    await commit([
      subject('b', [['account|identification', '2026-01-01T00:00:00.000Z']]),
      subject('a', [
        ['account|identification', '2026-01-01T00:00:00.000Z'],
        ['invoice:1|billing', '2025-06-01T00:00:00.000Z'],
        ['visits:2025-01|connection', '2030-01-01T00:00:00.000Z'],
      ]),
    ]);
    const page = (after?: Deadline) =>
      store.deadlines({ before: '2030-01-01T00:00:00.000Z', limit: 2, after });
    const first = await page();
    const second = await page(first.at(-1));
    const third = await page(second.at(-1));
    expect(
      [...first, ...second].map((d) => `${d.dueAt.slice(0, 7)} ${d.pseudonym} ${d.recordId}`),
    ).toEqual([
      '2025-06 a invoice:1|billing',
      '2026-01 a account|identification',
      '2026-01 b account|identification',
    ]);
    expect(second).toHaveLength(1);
    expect(third).toEqual([]);
  });

  it('replaces a subject deadlines, keeps a dirty state apart from its read model', async () => {
    const counts = (n: number): PurposePhaseCount[] => [
      { purpose: 'account', phase: 'active', records: n },
      { purpose: 'billing', phase: 'archived', records: 1 },
    ];
    await commit([
      subject('a', [['account|identification', '2026-01-01T00:00:00.000Z']], counts(1)),
      subject('b', [], [{ purpose: 'account', phase: 'active', records: 3 }]),
    ]);
    await commit(
      [subject('a', [['account|identification', '2027-01-01T00:00:00.000Z']], counts(2))],
      2n,
    );
    expect(await store.deadlines({ before: '9999-01-01T00:00:00.000Z', limit: 10 })).toEqual([
      {
        pseudonym: 'a',
        recordId: 'account|identification',
        action: 'erase',
        dueAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
    await store.commit({
      projection: PROJECTION,
      settings: 's',
      checkpoint: positionOf(3n),
      subjects: [{ pseudonym: 'a', state: initialSubjectState('a') }],
    });
    expect(await store.dirtySubjects()).toEqual(['a']);
    expect(await store.loadStates(['a'])).toEqual(new Map([['a', initialSubjectState('a')]]));
    // The summary counts every subject's last read model, a dirty one's included.
    expect(await store.recordsByPurposeAndPhase()).toEqual([
      { purpose: 'account', phase: 'active', records: 5 },
      { purpose: 'billing', phase: 'archived', records: 1 },
    ]);
    expect(await store.checkpoint(PROJECTION)).toEqual({ position: positionOf(3n), settings: 's' });
  });

  it('stores every deadline of a subject with more than one insert statement holds', async () => {
    const many = (n: number, year: number) =>
      Array.from({ length: n }, (_, i): [string, string] => [
        `visits:${String(i).padStart(3, '0')}|connection`,
        `${year}-01-01T00:00:00.000Z`,
      ]);
    await commit([subject('a', many(70, 2030)), subject('b', many(32, 2031))]);
    await commit([subject('a', many(33, 2032))], 2n);
    const all = await store.deadlines({ before: '9999-01-01T00:00:00.000Z', limit: 1000 });
    expect(all.map((d) => `${d.pseudonym} ${d.dueAt.slice(0, 4)} ${d.recordId}`)).toEqual([
      ...many(32, 2031).map(([record]) => `b 2031 ${record}`),
      ...many(33, 2032).map(([record]) => `a 2032 ${record}`),
    ]);
  });

  it('writes nothing of a commit that fails', async () => {
    await expect(
      store.commit(
        {
          projection: PROJECTION,
          settings: 's',
          checkpoint: positionOf(1n),
          subjects: [subject('a', [])],
        },
        {
          beforeCommit: () => {
            throw new Error('crash');
          },
        },
      ),
    ).rejects.toThrow('crash');
    expect(await store.checkpoint(PROJECTION)).toBeUndefined();
    expect(await store.loadStates(['a'])).toEqual(new Map());
  });

  it('empties a file of an older schema, checkpoint included, so that it is filled again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'read-store-'));
    try {
      const file = join(dir, 'read-models.db');
      const old = openDatabase(file);
      old.exec(`
        CREATE TABLE subjects (pseudonym TEXT PRIMARY KEY, state TEXT NOT NULL, schedule TEXT, dirty INTEGER NOT NULL);
        INSERT INTO subjects VALUES ('a', '{}', '{"records":[]}', 0);
        CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL, settings TEXT NOT NULL);
        INSERT INTO checkpoints VALUES ('${PROJECTION}', '5/5', 's');
        PRAGMA user_version = 2;
      `);
      old.close();
      const reopened = SqliteReadStore.open(file);
      expect(await reopened.checkpoint(PROJECTION)).toBeUndefined();
      expect(await reopened.loadStates(['a'])).toEqual(new Map());
      await reopened.commit({
        projection: PROJECTION,
        settings: 's',
        subjects: [subject('a', [])],
      });
      expect((await reopened.loadStates(['a'])).size).toBe(1);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
