import { addCalendar } from '../calendar';
import type { RecordPhaseState, RecordState } from '../../domain/subjects/subject-state';
import type { PurposeTimeline } from './purpose-timeline';
import type { NextAction, PurposeSchedule, RecordPhase, RecordSchedule } from './schedule.types';

/**
 * Combines the purposes that keep a record: it stays active while any purpose does, is
 * archived while any purpose's archive runs (counted from the day the record left the
 * active phase), and is erased only when every purpose has run out. A record no purpose
 * justifies is due for erasure from its collection.
 */
export function recordSchedule(
  record: RecordState,
  timelines: readonly PurposeTimeline[],
  phases: RecordPhaseState | undefined,
): RecordSchedule {
  const noPurpose = timelines.length === 0;
  const activeUntil = noPurpose
    ? record.collectedAt.at
    : latestOrNull(timelines.map((t) => t.activeUntil));
  const activeEnd = noPurpose
    ? record.collectedAt.at
    : latestOrNull(timelines.map((t) => t.activeEnd));
  const leftActiveAt = phases?.archived?.at ?? activeEnd;

  const purposes = timelines.map((t) => purposeSchedule(t, leftActiveAt));
  const archiveUntil = latestOrNull(
    purposes.filter((p) => p.archiveUntil !== undefined).map((p) => p.archiveUntil!),
  );
  const phase: RecordPhase = phases?.erased ? 'erased' : phases?.archived ? 'archived' : 'active';

  return {
    recordKey: record.recordKey,
    category: record.category,
    phase,
    activeUntil,
    ...(archiveUntil !== null && purposes.some((p) => p.archiveUntil) ? { archiveUntil } : {}),
    nextAction: nextAction(
      phase,
      timelines,
      activeEnd,
      archiveUntil,
      endOfLife(timelines, purposes),
    ),
    purposes,
  };
}

/**
 * The archive counts from the day the record left (or is planned to leave) the active
 * phase; while that day is not known yet (a renewal to ask, an open contract), from the
 * purpose's own end, so the purpose still shows its planned dates.
 */
function purposeSchedule(timeline: PurposeTimeline, leftActiveAt: string | null): PurposeSchedule {
  const { purpose, rule } = timeline;
  // Never before the purpose's own end: a record archived early (a hold, an older policy)
  // whose purpose later ran longer (the subject came back) keeps the full archive after it.
  const archiveFrom =
    leftActiveAt !== null && timeline.activeUntil !== null && timeline.activeUntil > leftActiveAt
      ? timeline.activeUntil
      : (leftActiveAt ?? timeline.activeUntil);
  const archiveUntil =
    timeline.archiveFor && archiveFrom !== null
      ? addCalendar(archiveFrom, timeline.archiveFor)
      : undefined;
  return {
    purpose: purpose.id,
    legalBasis: rule.legalBasis.join(', '),
    legalBases: rule.legalBasis,
    activeUntil: timeline.activeUntil,
    ...(archiveUntil !== undefined ? { archiveUntil } : {}),
    then: rule.then.kind === 'renew' && !timeline.stoppedBy ? 'request-renewal' : 'erase',
    because: timeline.because,
    ...(timeline.stoppedBy ? { stoppedBy: timeline.stoppedBy } : {}),
  };
}

function nextAction(
  phase: RecordPhase,
  timelines: readonly PurposeTimeline[],
  activeEnd: string | null,
  archiveUntil: string | null,
  erasableAt: string | null,
): NextAction | null {
  if (phase === 'erased') return null;
  if (phase === 'archived')
    return erasableAt === null ? null : { action: 'erase', dueAt: erasableAt };

  let next: NextAction | null = null;
  for (const t of timelines) {
    if (t.renewalDueAt !== undefined && (next === null || t.renewalDueAt < next.dueAt)) {
      next = { action: 'request-renewal', dueAt: t.renewalDueAt, purpose: t.purpose.id };
    }
  }
  if (activeEnd !== null && (next === null || activeEnd < next.dueAt)) {
    const archives = archiveUntil !== null && archiveUntil > activeEnd;
    next = { action: archives ? 'archive' : 'erase', dueAt: activeEnd };
  }
  return next;
}

/**
 * When every purpose has run out, archive included: an archived record is erased then, and
 * not before the end of a purpose that (through later facts) still keeps it.
 */
function endOfLife(
  timelines: readonly PurposeTimeline[],
  purposes: readonly PurposeSchedule[],
): string | null {
  if (timelines.length === 0) return null;
  return latestOrNull(purposes.map((p, i) => p.archiveUntil ?? timelines[i].activeEnd));
}

/** The latest instant, or null when any is unknown (an unknown deadline holds the record). */
function latestOrNull(instants: ReadonlyArray<string | null>): string | null {
  let latest: string | null = null;
  for (const instant of instants) {
    if (instant === null) return null;
    if (latest === null || instant > latest) latest = instant;
  }
  return latest;
}
