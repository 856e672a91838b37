import type { LedgerEventV1 } from '../../../domain/events/ledger-event';
import { evolveSubject } from '../../../domain/subjects/evolve-subject';
import { initialSubjectState } from '../../../domain/subjects/subject-state';
import type { Policy } from '../../policy';
import { retentionSchedule } from '../retention-schedule';
import type { PurposeSchedule, RecordSchedule, SubjectSchedule } from '../schedule.types';

/** A small history, written the way a test reads: id, type, when, data, personal data. */
export function stored(
  eventId: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown> = {},
  personal: Array<[category: string, recordKey: string]> = [],
): LedgerEventV1 {
  const at = new Date(occurredAt).toISOString();
  return {
    v: 1,
    eventId,
    type,
    subject: 'subject-under-test',
    occurredAt: at,
    recordedAt: at,
    source: 'platform',
    data,
    ...(personal.length > 0
      ? {
          personalData: personal.map(([category, recordKey]) => ({
            category,
            recordKey,
            keyId: 'k',
            sealed: '',
          })),
        }
      : {}),
  };
}

export function scheduleOf(policy: Policy, events: readonly LedgerEventV1[]): SubjectSchedule {
  const state = events.reduce(evolveSubject, initialSubjectState('subject-under-test'));
  return retentionSchedule(state, policy);
}

export function recordOf(
  schedule: SubjectSchedule,
  recordKey: string,
  category: string,
): RecordSchedule {
  const record = schedule.records.find((r) => r.recordKey === recordKey && r.category === category);
  if (!record) throw new Error(`no record ${recordKey}|${category} in the schedule`);
  return record;
}

export function purposeOf(record: RecordSchedule, purpose: string): PurposeSchedule | undefined {
  return record.purposes.find((p) => p.purpose === purpose);
}
