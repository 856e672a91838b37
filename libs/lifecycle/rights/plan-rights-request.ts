import type { DataSubjectRight } from '../../domain/events/event-catalogue';
import type {
  DeferralReason,
  KeptRecord,
  RightsRequestStep,
} from '../../domain/events/ledger-written-events';
import { objectedPurposes } from '../../domain/subjects/fold-consents';
import { roleOf } from '../../domain/subjects/role-of';
import type { SubjectState } from '../../domain/subjects/subject-state';
import { addCalendar, parseCalendarDuration } from '../../policy/calendar';
import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { RecordSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';
import type { RecordRef } from '../saga/lifecycle-decision';
import { holdOn } from '../saga/holds';

/** A rights request as the log holds it (`RightsRequestReceived`). */
export interface RightsRequest {
  readonly requestId: string;
  readonly right: DataSubjectRight;
  readonly purposes?: readonly string[];
  /** The `RightsRequestReceived`'s `occurredAt`. */
  readonly receivedAt: string;
}

/** What answering a request does, decided from the state once the request is folded in. */
export interface RightsPlan {
  /** Steps that are the request itself (a purpose stopped, a restriction), no fact of their own. */
  readonly steps: readonly RightsRequestStep[];
  /** Records whose next action is due now: the saga's step carries each out at once. */
  readonly due: readonly RecordRef[];
  /** What an erasure leaves in place, and why. */
  readonly kept: readonly KeptRecord[];
}

const ONE_MONTH = parseCalendarDuration('P1M')!;

/** Art. 12(3): one calendar month from receipt (UTC, the 31st clamped to the month's end). */
export function answerDueBy(receivedAt: string): string {
  return addCalendar(receivedAt, ONE_MONTH);
}

/** Rights whose answer carries out at once what the request made due. */
export const CHANGES_RETENTION: ReadonlySet<DataSubjectRight> = new Set([
  'erasure',
  'objection',
  'consent-withdrawal',
  'restriction-lifted',
]);

/**
 * Reads aloud as the policy's section 6: an erasure erases every record no legal
 * obligation keeps, except what a restriction, a legal hold or an open dispute holds,
 * and says why each kept record stays; an objection and a consent withdrawal stop their
 * purposes; a restriction freezes, its lifting thaws; access and portability are
 * answered by the export. `state` already holds the request (it is folded first).
 */
export function planRightsRequest(
  state: SubjectState,
  policy: Policy,
  request: RightsRequest,
  now: Date,
): RightsPlan {
  const schedule = retentionSchedule(state, policy).records;
  const due = CHANGES_RETENTION.has(request.right) ? dueNow(schedule, now) : [];
  const kept =
    request.right === 'erasure' ? keptByErasure(state, policy, schedule, request, now) : [];
  return { steps: stepsOf(state, policy, request), due, kept };
}

function stepsOf(state: SubjectState, policy: Policy, request: RightsRequest): RightsRequestStep[] {
  switch (request.right) {
    case 'objection':
      return [{ action: 'purposes-stopped', purposes: [...objectedPurposes(request.purposes)] }];
    case 'consent-withdrawal':
      return [{ action: 'purposes-stopped', purposes: withdrawnPurposes(state, policy, request) }];
    case 'restriction':
      return [{ action: 'restricted' }];
    case 'restriction-lifted':
      return [{ action: 'restriction-lifted' }];
    case 'access':
    case 'portability':
      return [{ action: 'export-offered' }];
    case 'erasure':
    case 'rectification':
      return [];
  }
}

/** The purposes named, or every purpose resting on consent for the subject's role. */
function withdrawnPurposes(state: SubjectState, policy: Policy, request: RightsRequest): string[] {
  if (request.purposes !== undefined && request.purposes.length > 0) return [...request.purposes];
  const role = roleOf(state);
  return policy.purposes
    .filter((purpose) =>
      purpose.rules.some(
        (rule) =>
          (rule.roles as readonly string[]).includes(role) && rule.legalBasis.includes('consent'),
      ),
    )
    .map((purpose) => purpose.id);
}

function dueNow(schedule: readonly RecordSchedule[], now: Date): RecordRef[] {
  return schedule
    .filter((r) => r.nextAction !== null && Date.parse(r.nextAction.dueAt) <= now.getTime())
    .map((r) => ({ recordKey: r.recordKey, category: r.category }));
}

/**
 * Every record held when the request came that the erasure leaves: a legal obligation
 * still running keeps it (invoices 10 years, transactions 5, the objection 3); otherwise
 * a restriction, a legal hold or an open dispute holds what would be erased.
 */
function keptByErasure(
  state: SubjectState,
  policy: Policy,
  schedule: readonly RecordSchedule[],
  request: RightsRequest,
  now: Date,
): KeptRecord[] {
  const kept: KeptRecord[] = [];
  for (const record of schedule) {
    if (record.phase === 'erased') continue;
    const collectedAt = state.records[`${record.recordKey}|${record.category}`]?.collectedAt.at;
    if (collectedAt === undefined || collectedAt > request.receivedAt) continue;
    const reason = whyKept(state, policy, record, now);
    if (reason) kept.push({ recordKey: record.recordKey, category: record.category, reason });
  }
  return kept;
}

function whyKept(
  state: SubjectState,
  policy: Policy,
  record: RecordSchedule,
  now: Date,
): DeferralReason | undefined {
  // A purpose with no known end yet (null) is still running.
  const running = (until: string | null) => until === null || Date.parse(until) > now.getTime();
  const legal = record.purposes.some(
    (p) => p.legalBases.includes('legal-obligation') && running(p.archiveUntil ?? p.activeUntil),
  );
  if (legal) return 'legal-obligation';
  return holdOn(state, policy, record);
}
