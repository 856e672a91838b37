import type {
  DeferralReason,
  ErasureDeferredData,
  RecordArchivedData,
  RecordErasedData,
  RenewalRequestedData,
} from '../../domain/events/ledger-written-events';
import { roleOf } from '../../domain/subjects/role-of';
import { recordIdOf, type SubjectState } from '../../domain/subjects/subject-state';
import { addCalendar } from '../../policy/calendar';
import { recordRetentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { RecordSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';
import { holdOn } from './holds';

/** One record of one subject, as the deadlines index names it. */
export interface RecordRef {
  readonly recordKey: string;
  readonly category: string;
}

/** What the saga does about one record now: the facts to write, or why nothing. */
export type LifecycleDecision =
  | { readonly kind: 'nothing'; readonly why: 'unknown-record' | 'not-due' }
  | { readonly kind: 'archive'; readonly data: RecordArchivedData }
  | { readonly kind: 'erase'; readonly data: Omit<RecordErasedData, 'keyFingerprint'> }
  | { readonly kind: 'defer'; readonly data: ErasureDeferredData }
  | { readonly kind: 'request-renewal'; readonly data: RenewalRequestedData };

/**
 * Decides from the subject's state and the policy in force, never from the deadline that
 * triggered it (the index may be behind the log): the record's next action, if it is due
 * at `now`. An erasure a hold forbids becomes a deferral with the hold's reason.
 */
export function decideLifecycleAction(
  state: SubjectState,
  policy: Policy,
  ref: RecordRef,
  now: Date,
): LifecycleDecision {
  const record = recordRetentionSchedule(state, policy, recordIdOf(ref.recordKey, ref.category));
  if (!record) return { kind: 'nothing', why: 'unknown-record' };
  const next = record.nextAction;
  if (next === null || Date.parse(next.dueAt) > now.getTime()) {
    return { kind: 'nothing', why: 'not-due' };
  }
  const decided = {
    recordKey: record.recordKey,
    category: record.category,
    policyVersion: policy.version,
    dueAt: next.dueAt,
  };
  switch (next.action) {
    case 'archive':
      return { kind: 'archive', data: { ...decided, ...grounds(record) } };
    case 'erase': {
      const reason: DeferralReason | undefined = holdOn(state, policy, record);
      if (reason) return { kind: 'defer', data: { ...decided, reason } };
      return { kind: 'erase', data: { ...decided, ...grounds(record) } };
    }
    case 'request-renewal': {
      const purpose = policy.purposes.find((p) => p.id === next.purpose);
      const role = roleOf(state);
      const rule = purpose?.rules.find((r) => (r.roles as readonly string[]).includes(role));
      const renew = rule?.then;
      if (!purpose || !renew || renew.kind !== 'renew') {
        return { kind: 'nothing', why: 'not-due' };
      }
      return {
        kind: 'request-renewal',
        data: {
          recordKey: record.recordKey,
          category: record.category,
          purpose: purpose.id,
          policyVersion: policy.version,
          dueAt: next.dueAt,
          answerBy: addCalendar(now.toISOString(), renew.answerWithin),
        },
      };
    }
  }
}

/** The purposes that kept the record and the events whose clocks fixed their dates. */
function grounds(record: RecordSchedule): { purposes: string[]; because: string[] } {
  const because = new Set<string>();
  for (const purpose of record.purposes) for (const b of purpose.because) because.add(b.eventId);
  return { purposes: record.purposes.map((p) => p.purpose), because: [...because].sort() };
}
