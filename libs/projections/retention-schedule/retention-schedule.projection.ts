import {
  decodeLedgerEvent,
  parseLedgerEvent,
  type LedgerEventV1,
} from '../../domain/events/ledger-event';
import { evolveSubject } from '../../domain/subjects/evolve-subject';
import {
  initialSubjectState,
  recordIdOf,
  type SubjectState,
} from '../../domain/subjects/subject-state';
import type { RecordedEvent, StreamEventText } from '../../event-store';
import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { Policy } from '../../policy/policy';
import type { Deadline, PurposePhaseCount, SubjectReadModel } from '../read-store.port';

/** A stored event about a subject, decoded. */
export interface SubjectEvent {
  readonly pseudonym: string;
  readonly event: LedgerEventV1;
}

const SUBJECT_STREAM_PREFIX = 'subject-';

/**
 * The retention schedule of every subject, derived from the log: each subject's state is
 * the fold of its events (`evolveSubject`, idempotent and order-independent), and its
 * schedule and deadlines are a pure function of that state and the policy. The policy is
 * an argument, so that policy versions can come later.
 */
export class RetentionScheduleProjection {
  readonly name = 'retention-schedule';
  /** The streams it reads: each subject's events are in its own (`subjectStreamName`). */
  readonly streamPrefix = SUBJECT_STREAM_PREFIX;
  /** Changes with the policy text: read models computed under another one are recomputed. */
  readonly settings: string;

  constructor(readonly policy: Policy) {
    this.settings = `policy ${policy.version} sha256:${policy.sha256}`;
  }

  /** The subject an event is about; undefined for events that are about no subject. */
  subjectEventOf(recorded: RecordedEvent): SubjectEvent | undefined {
    if (!recorded.streamName.startsWith(SUBJECT_STREAM_PREFIX)) return undefined;
    return aboutASubject(decodeLedgerEvent(recorded.data));
  }

  /** The same, from a payload already decoded as text (`EventStore.readStreamsByName`). */
  subjectEventOfText({ streamName, text }: StreamEventText): SubjectEvent | undefined {
    if (!streamName.startsWith(SUBJECT_STREAM_PREFIX)) return undefined;
    return aboutASubject(parseLedgerEvent(text));
  }

  evolve(state: SubjectState | undefined, { pseudonym, event }: SubjectEvent): SubjectState {
    return evolveSubject(state ?? initialSubjectState(pseudonym), event);
  }

  /** What the store keeps of the subject's schedule: its deadlines and its purpose counts. */
  readModel(state: SubjectState): SubjectReadModel {
    const schedule = retentionSchedule(state, this.policy);
    const deadlines: Deadline[] = [];
    const counts = new Map<string, PurposePhaseCount>();
    for (const record of schedule.records) {
      for (const { purpose } of record.purposes) {
        const key = `${purpose}\u0000${record.phase}`;
        const count = counts.get(key);
        counts.set(key, { purpose, phase: record.phase, records: (count?.records ?? 0) + 1 });
      }
      if (record.nextAction === null) continue;
      deadlines.push({
        pseudonym: state.subject,
        recordId: recordIdOf(record.recordKey, record.category),
        action: record.nextAction.action,
        dueAt: record.nextAction.dueAt,
      });
    }
    return { deadlines, purposePhases: [...counts.values()].sort(byPurposeThenPhase) };
  }
}

function aboutASubject(event: LedgerEventV1): SubjectEvent | undefined {
  return event.subject === undefined ? undefined : { pseudonym: event.subject, event };
}

function byPurposeThenPhase(a: PurposePhaseCount, b: PurposePhaseCount): number {
  if (a.purpose !== b.purpose) return a.purpose < b.purpose ? -1 : 1;
  return a.phase < b.phase ? -1 : a.phase > b.phase ? 1 : 0;
}
