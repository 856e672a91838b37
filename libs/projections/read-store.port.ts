import type { SubjectState } from '../domain/subjects/subject-state';
import type { LogPosition } from '../event-store';
import type { NextActionKind } from '../policy/evaluate/schedule.types';

/**
 * Where projections keep what they derive from the log (decision 1: all of it can be dropped
 * and rebuilt). SQLite is the embedded adapter; a server database can come behind the same
 * port. Nothing in it is a platform subject id or a clear personal value: subjects are
 * pseudonyms, records are keys and categories.
 */

/** One row of the deadlines index: the next action of one record. */
export interface Deadline {
  readonly pseudonym: string;
  /** `<recordKey>|<category>` (`recordIdOf`). */
  readonly recordId: string;
  readonly action: NextActionKind;
  readonly dueAt: string;
}

/** Where a page of deadlines resumes: strictly after this key, in index order. */
export type DeadlineKey = Pick<Deadline, 'dueAt' | 'pseudonym' | 'recordId'>;

export interface DeadlinesQuery {
  /** Exclusive upper bound, ISO-8601 UTC in `toISOString()` form. */
  readonly before: string;
  readonly after?: DeadlineKey;
  readonly limit: number;
}

/**
 * What the store keeps of one subject's schedule, computed from its state under one policy.
 * Not the schedule itself: it is a pure function of the stored state and the policy in force,
 * computed when read (about 50 us), and storing it made up 60% of the bytes a rebuild wrote.
 */
export interface SubjectReadModel {
  /** One per record whose next action is known. */
  readonly deadlines: readonly Deadline[];
  /** The compliance summary's share of this subject: its records per purpose and phase. */
  readonly purposePhases: readonly PurposePhaseCount[];
}

/** What one commit writes for one subject. */
export interface SubjectWrite {
  readonly pseudonym: string;
  /** The new state; absent when only its read model is (re)computed. */
  readonly state?: SubjectState;
  /** Absent: the state moved but its schedule is not recomputed yet (the row turns dirty). */
  readonly readModel?: SubjectReadModel;
}

/**
 * A subject's state and read model already encoded as the store keeps them (JSON texts):
 * encoded on the threads that fold a fill, so that the one writing thread only writes.
 */
export interface EncodedSubjectWrite {
  readonly pseudonym: string;
  readonly state: string;
  readonly purposePhases: string;
  readonly deadlines: readonly Deadline[];
}

/** Everything one batch changes, written with the checkpoint in one transaction. */
export interface ReadModelCommit {
  readonly projection: string;
  /** What the read models were computed with (the policy's version and digest). */
  readonly settings: string;
  /** The last event the commit accounts for; absent when it only recomputes read models. */
  readonly checkpoint?: LogPosition;
  readonly subjects: readonly SubjectWrite[];
  /** Subjects with their read models, encoded by `encodeSubjectWrite`; written as current. */
  readonly encoded?: readonly EncodedSubjectWrite[];
}

export interface CommitHooks {
  /** Runs inside the transaction after every write, before it commits (fault injection in tests). */
  readonly beforeCommit?: () => void;
}

export interface SavedCheckpoint {
  readonly position: LogPosition;
  readonly settings: string;
}

/** What the last policy change moved, once the schedules are recomputed. Counts only. */
export interface PolicyChangeReport {
  readonly from: string;
  readonly to: string;
  /** Records whose next action or its date changed. */
  readonly moved: number;
  /** Records that got a next action they did not have. */
  readonly added: number;
  /** Records whose next action is gone. */
  readonly removed: number;
}

/** How many records one purpose keeps in one phase (a record kept for two purposes counts twice). */
export interface PurposePhaseCount {
  readonly purpose: string;
  readonly phase: string;
  readonly records: number;
}

/** How many records have a next action of each kind due in a window. */
export interface DueCount {
  readonly action: NextActionKind;
  readonly records: number;
}

export interface ReadStore {
  /** Where a projection stands; undefined before its first commit. */
  checkpoint(projection: string): Promise<SavedCheckpoint | undefined>;
  /** Records new settings and marks every subject dirty, in one transaction. */
  resetSettings(projection: string, settings: string): Promise<void>;
  /** The deadlines the last settings change moved (compare once the projection caught up). */
  policyChange(projection: string): Promise<PolicyChangeReport | undefined>;
  /** The stored states of these subjects (the missing ones are absent from the map). */
  loadStates(pseudonyms: readonly string[]): Promise<Map<string, SubjectState>>;
  /** Subjects whose state moved since their schedule was last computed. */
  dirtySubjects(): Promise<string[]>;
  /** All of it or nothing: a crash replays from the previous checkpoint. */
  commit(changes: ReadModelCommit, hooks?: CommitHooks): Promise<void>;
  /** Deadlines due before `before`, soonest first, from the index (keyset paging). */
  deadlines(query: DeadlinesQuery): Promise<Deadline[]>;
  /** Records per purpose and phase over every subject's last read model, both sorted. */
  recordsByPurposeAndPhase(): Promise<PurposePhaseCount[]>;
  /** Deadlines index entries due in [from, to), by action. */
  dueBetween(from: string, to: string): Promise<DueCount[]>;
  /**
   * Filling the read models from nothing (no checkpoint): the store may set aside what makes
   * reads fast but every write slower (the deadlines index). Reads stay correct, only slower.
   */
  beginFill(): Promise<void>;
  /** Caught up: puts back whatever `beginFill` set aside; nothing to do otherwise. */
  endFill(): Promise<void>;
  /** Drops what the projection derived, its checkpoint included: the next run replays the log. */
  drop(projection: string): Promise<void>;
  close(): Promise<void>;
}
