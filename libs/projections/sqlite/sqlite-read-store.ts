import type { SubjectState } from '../../domain/subjects/subject-state';
import { formatPosition, parsePosition } from '../../event-store';
import type { NextActionKind } from '../../policy/evaluate/schedule.types';
import { openDatabase, type SqliteDatabase } from '../../sqlite/open-database';
import type {
  PolicyChangeReport,
  CommitHooks,
  Deadline,
  DueCount,
  PurposePhaseCount,
  DeadlinesQuery,
  EncodedSubjectWrite,
  ReadModelCommit,
  ReadStore,
  SavedCheckpoint,
  SubjectReadModel,
  SubjectWrite,
} from '../read-store.port';
import { createDeadlinesIndex, dropDeadlinesIndex, migrateReadModels } from './sqlite-read-schema';
import { decodeStoredState, encodeStoredState } from './stored-state';

interface DeadlineRow {
  pseudonym: string;
  record_id: string;
  action: NextActionKind;
  due_at: string;
}

/**
 * The read models in one SQLite file beside the log (`read-models.db`), or in memory.
 * Every method runs synchronously under its promise: a commit is one transaction.
 */
export class SqliteReadStore implements ReadStore {
  private readonly statements: ReturnType<typeof prepare>;
  private readonly insertStatements: Statement[] = [];

  /** `cacheMb`: SQLite's page cache for this connection (32 MB unless said otherwise). */
  static open(file: string, { cacheMb = 32 }: { cacheMb?: number } = {}): SqliteReadStore {
    const db = openDatabase(file, { cacheMb });
    // Derived data: a power cut may lose the last commits, never consistency (WAL); the
    // checkpoint goes back with them, so they are replayed from the log.
    db.pragma('synchronous = NORMAL');
    // A rebuild writes every subject (its state, 1.5-3 KB) across the whole file:
    // with SQLite's default 2 MB of page cache, most page writes first read the page back from
    // the OS, and every 1,000 pages of WAL were copied back into the file. 32 MB of cache and
    // checkpoints every 10,000 pages (40 MB of WAL) cut the CPU of a 1M-event rebuild (measured).
    db.pragma('wal_autocheckpoint = 10000');
    return new SqliteReadStore(db);
  }

  constructor(private readonly db: SqliteDatabase) {
    migrateReadModels(db);
    this.statements = prepare(db);
  }

  async checkpoint(projection: string): Promise<SavedCheckpoint | undefined> {
    const row = this.statements.checkpoint.get(projection) as
      { position: string; settings: string } | undefined;
    return row && { position: parsePosition(row.position), settings: row.settings };
  }

  async resetSettings(projection: string, settings: string): Promise<void> {
    const s = this.statements;
    this.db.transaction(() => {
      const before = s.checkpoint.get(projection) as { settings: string } | undefined;
      s.clearBaseline.run();
      s.keepBaseline.run();
      s.savePolicyChange.run(projection, before?.settings ?? '', settings);
      s.markAllDirty.run();
      s.updateSettings.run(settings, projection);
    })();
  }

  async policyChange(projection: string): Promise<PolicyChangeReport | undefined> {
    const s = this.statements;
    const change = s.policyChange.get(projection) as
      { settings_from: string; settings_to: string } | undefined;
    if (!change) return undefined;
    return {
      from: change.settings_from,
      to: change.settings_to,
      moved: s.countMoved.pluck().get() as number,
      added: s.countAdded.pluck().get() as number,
      removed: s.countRemoved.pluck().get() as number,
    };
  }

  async loadStates(pseudonyms: readonly string[]): Promise<Map<string, SubjectState>> {
    const states = new Map<string, SubjectState>();
    for (const pseudonym of pseudonyms) {
      const row = this.statements.state.get(pseudonym) as { state: string } | undefined;
      if (row) states.set(pseudonym, decodeStoredState(row.state));
    }
    return states;
  }

  async dirtySubjects(): Promise<string[]> {
    return this.statements.dirty.pluck().all() as string[];
  }

  async commit(changes: ReadModelCommit, hooks: CommitHooks = {}): Promise<void> {
    this.db.transaction(() => {
      for (const subject of changes.subjects) this.writeSubject(subject);
      for (const subject of changes.encoded ?? []) this.writeEncoded(subject);
      if (changes.checkpoint) {
        const position = formatPosition(changes.checkpoint);
        this.statements.saveCheckpoint.run(changes.projection, position, changes.settings);
      }
      hooks.beforeCommit?.();
    })();
  }

  private writeSubject({ pseudonym, state, readModel }: SubjectWrite): void {
    const s = this.statements;
    if (state && readModel)
      this.writeEncoded({ ...encodeSubjectWrite(state, readModel), pseudonym });
    else if (state) s.upsertDirty.run(pseudonym, encodeStoredState(state));
    else if (readModel) {
      s.updatePurposePhases.run(encodePurposePhases(readModel), pseudonym);
      this.replaceDeadlines(pseudonym, readModel.deadlines);
    }
  }

  private writeEncoded({ pseudonym, state, purposePhases, deadlines }: EncodedSubjectWrite): void {
    this.statements.upsertCurrent.run(pseudonym, state, purposePhases);
    this.replaceDeadlines(pseudonym, deadlines);
  }

  /**
   * Up to `MAX_ROWS_PER_INSERT` rows in one INSERT (a subject has 8 on average on the rebuild
   * benchmark's log): a statement run a row was 2.9 s of the writing thread's CPU in a rebuild
   * of 1M events, 1.9-2.1 s this way (profiled), and the fill threads share its cores.
   */
  private replaceDeadlines(pseudonym: string, deadlines: readonly Deadline[]): void {
    this.statements.deleteDeadlines.run(pseudonym);
    for (let start = 0; start < deadlines.length; start += MAX_ROWS_PER_INSERT) {
      const rows = deadlines.slice(start, start + MAX_ROWS_PER_INSERT);
      const values: string[] = [];
      for (const d of rows) values.push(d.pseudonym, d.recordId, d.action, d.dueAt);
      this.insertDeadlines(rows.length).run(values);
    }
  }

  /** The INSERT of `rows` rows, prepared the first time it is needed. */
  private insertDeadlines(rows: number): Statement {
    let statement = this.insertStatements[rows];
    if (statement === undefined) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ');
      statement = this.db.prepare(`INSERT INTO deadlines (${DEADLINE_COLUMNS}) VALUES ${values}`);
      this.insertStatements[rows] = statement;
    }
    return statement;
  }

  async deadlines({ before, after, limit }: DeadlinesQuery): Promise<Deadline[]> {
    const rows = (
      after
        ? this.statements.deadlinesAfter.all(
            before,
            after.dueAt,
            after.pseudonym,
            after.recordId,
            limit,
          )
        : this.statements.deadlinesFirst.all(before, limit)
    ) as DeadlineRow[];
    return rows.map((r) => ({
      pseudonym: r.pseudonym,
      recordId: r.record_id,
      action: r.action,
      dueAt: r.due_at,
    }));
  }

  async recordsByPurposeAndPhase(): Promise<PurposePhaseCount[]> {
    return this.statements.purposePhaseCounts.all() as PurposePhaseCount[];
  }

  async dueBetween(from: string, to: string): Promise<DueCount[]> {
    return this.statements.dueCounts.all(from, to) as DueCount[];
  }

  async beginFill(): Promise<void> {
    dropDeadlinesIndex(this.db);
  }

  async endFill(): Promise<void> {
    createDeadlinesIndex(this.db);
  }

  async drop(projection: string): Promise<void> {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM deadlines; DELETE FROM subjects;');
      this.statements.deleteCheckpoint.run(projection);
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A subject's state and read model as `commit` writes them (`encoded`), on any thread. */
export function encodeSubjectWrite(
  state: SubjectState,
  readModel: SubjectReadModel,
): EncodedSubjectWrite {
  return {
    pseudonym: state.subject,
    state: encodeStoredState(state),
    purposePhases: encodePurposePhases(readModel),
    deadlines: readModel.deadlines,
  };
}

/** `[[purpose, phase, records], ...]` in the read model's order (sorted): small, and SQL reads it. */
function encodePurposePhases({ purposePhases }: SubjectReadModel): string {
  return JSON.stringify(purposePhases.map((c) => [c.purpose, c.phase, c.records]));
}

const DEADLINE_COLUMNS = 'pseudonym, record_id, action, due_at';
/** 128 bound values, well under SQLite's limit of 32,766. */
const MAX_ROWS_PER_INSERT = 32;
type Statement = ReturnType<SqliteDatabase['prepare']>;

function prepare(db: SqliteDatabase) {
  return {
    checkpoint: db.prepare('SELECT position, settings FROM checkpoints WHERE projection = ?'),
    saveCheckpoint: db.prepare(
      `INSERT INTO checkpoints (projection, position, settings) VALUES (?, ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, settings = excluded.settings`,
    ),
    updateSettings: db.prepare('UPDATE checkpoints SET settings = ? WHERE projection = ?'),
    deleteCheckpoint: db.prepare('DELETE FROM checkpoints WHERE projection = ?'),
    markAllDirty: db.prepare('UPDATE subjects SET dirty = 1'),
    clearBaseline: db.prepare('DELETE FROM deadlines_before_change'),
    keepBaseline: db.prepare(
      'INSERT INTO deadlines_before_change SELECT pseudonym, record_id, action, due_at FROM deadlines',
    ),
    savePolicyChange: db.prepare(
      `INSERT INTO policy_changes (projection, settings_from, settings_to) VALUES (?, ?, ?)
       ON CONFLICT (projection) DO UPDATE SET settings_from = excluded.settings_from, settings_to = excluded.settings_to`,
    ),
    policyChange: db.prepare(
      'SELECT settings_from, settings_to FROM policy_changes WHERE projection = ?',
    ),
    countMoved: db.prepare(
      `SELECT count(*) FROM deadlines_before_change b JOIN deadlines d USING (pseudonym, record_id)
       WHERE b.due_at <> d.due_at OR b.action <> d.action`,
    ),
    countAdded: db.prepare(
      `SELECT count(*) FROM deadlines d LEFT JOIN deadlines_before_change b USING (pseudonym, record_id)
       WHERE b.pseudonym IS NULL`,
    ),
    countRemoved: db.prepare(
      `SELECT count(*) FROM deadlines_before_change b LEFT JOIN deadlines d USING (pseudonym, record_id)
       WHERE d.pseudonym IS NULL`,
    ),
    state: db.prepare('SELECT state FROM subjects WHERE pseudonym = ?'),
    dirty: db.prepare('SELECT pseudonym FROM subjects WHERE dirty = 1 ORDER BY pseudonym'),
    upsertCurrent: db.prepare(
      `INSERT INTO subjects (pseudonym, state, purpose_phases, dirty) VALUES (?, ?, ?, 0)
       ON CONFLICT (pseudonym) DO UPDATE SET state = excluded.state, purpose_phases = excluded.purpose_phases, dirty = 0`,
    ),
    upsertDirty: db.prepare(
      `INSERT INTO subjects (pseudonym, state, purpose_phases, dirty) VALUES (?, ?, NULL, 1)
       ON CONFLICT (pseudonym) DO UPDATE SET state = excluded.state, dirty = 1`,
    ),
    updatePurposePhases: db.prepare(
      'UPDATE subjects SET purpose_phases = ?, dirty = 0 WHERE pseudonym = ?',
    ),
    // SQLite sums the subjects' small count arrays itself: nothing is decoded into JavaScript
    // objects. It still reads every subject (linear in subjects); a count table kept by the
    // projection would make it constant, at a cost on every commit.
    purposePhaseCounts: db.prepare(
      `SELECT c.value ->> 0 AS purpose, c.value ->> 1 AS phase, sum(c.value ->> 2) AS records
       FROM subjects, json_each(subjects.purpose_phases) AS c
       WHERE subjects.purpose_phases IS NOT NULL
       GROUP BY purpose, phase ORDER BY purpose, phase`,
    ),
    dueCounts: db.prepare(
      `SELECT action, count(*) AS records FROM deadlines WHERE due_at >= ? AND due_at < ?
       GROUP BY action ORDER BY action`,
    ),
    deleteDeadlines: db.prepare('DELETE FROM deadlines WHERE pseudonym = ?'),
    deadlinesFirst: db.prepare(
      `SELECT ${DEADLINE_COLUMNS} FROM deadlines WHERE due_at < ?
       ORDER BY due_at, pseudonym, record_id LIMIT ?`,
    ),
    // Row values compare in index order, so SQLite seeks straight to the cursor.
    deadlinesAfter: db.prepare(
      `SELECT ${DEADLINE_COLUMNS} FROM deadlines
       WHERE due_at < ? AND (due_at, pseudonym, record_id) > (?, ?, ?)
       ORDER BY due_at, pseudonym, record_id LIMIT ?`,
    ),
  };
}
