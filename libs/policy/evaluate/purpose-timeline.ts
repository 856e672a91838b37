import type { RenewalState } from '../../domain/subjects/subject-state';
import { addCalendar } from '../calendar';
import type { CalendarDuration, DateRule, Purpose, PurposeRule } from '../policy';
import { evaluateDateRule, type ClockResolver, type DateResult } from './evaluate-date-rule';
import type { Because } from './schedule.types';

/** One purpose's hold on one record, before the record's phases are combined. */
export interface PurposeTimeline {
  readonly purpose: Purpose;
  readonly rule: PurposeRule;
  /** The end of the active period as the rules fix it; null while unknown. */
  readonly activeUntil: string | null;
  /**
   * When the purpose stops keeping the record active: null while unknown, or while a
   * renewal question is due and not asked yet (the record waits for the question).
   */
  readonly activeEnd: string | null;
  readonly renewalDueAt?: string;
  readonly archiveFor?: CalendarDuration;
  readonly because: readonly Because[];
  readonly stoppedBy?: string;
}

/**
 * Reads a purpose's rule for one record: its date, an early stop (consent withdrawn, an
 * objection: erase at once, never renew), and for renewable purposes where the question
 * and its answer stand.
 */
export function purposeTimeline(
  purpose: Purpose,
  rule: PurposeRule,
  resolve: ClockResolver,
  definedClocks: Readonly<Record<string, DateRule>>,
  renewal: RenewalState | undefined,
): PurposeTimeline {
  const base = evaluateDateRule(rule.activeUntil, resolve, definedClocks);
  const stop = earliestStop(rule.stoppedBy ?? [], resolve);
  // A stop at the very instant the purpose would end anyway still stops it: a death under
  // an `erase` directive closes the account and erases it at once, it does not archive it.
  // An erasure request stops it even after its end: an archive is no ground to keep data
  // against one (section 6 keeps only legal obligations and what a dispute holds).
  const stops =
    stop &&
    (base === undefined || stop.at <= base.at || stop.because[0].clock === 'erasureRequested');
  if (stop && stops) {
    return {
      purpose,
      rule,
      activeUntil: stop.at,
      activeEnd: stop.at,
      because: stop.because,
      stoppedBy: stop.because[0].clock,
    };
  }
  const archiveFor = rule.then.kind === 'archive' ? rule.then.for : undefined;
  if (base === undefined)
    return { purpose, rule, activeUntil: null, activeEnd: null, archiveFor, because: [] };
  if (rule.then.kind !== 'renew') {
    return {
      purpose,
      rule,
      activeUntil: base.at,
      activeEnd: base.at,
      archiveFor,
      because: base.because,
    };
  }
  return renewable(purpose, rule, base, rule.then, renewal);
}

function renewable(
  purpose: Purpose,
  rule: PurposeRule,
  base: DateResult,
  then: { readonly answerWithin: CalendarDuration; readonly extendBy: CalendarDuration },
  renewal: RenewalState | undefined,
): PurposeTimeline {
  const { requested, answered } = renewal ?? {};
  const settled = answered && (!requested || answered.at >= requested.at) ? answered : undefined;
  if (settled && !settled.accepted) {
    const because = [
      ...base.because,
      { clock: 'renewalRefused', at: settled.at, eventId: settled.eventId },
    ];
    return { purpose, rule, activeUntil: base.at, activeEnd: settled.at, because };
  }
  let activeUntil = base.at;
  let because = base.because;
  if (settled?.accepted) {
    const extended = addCalendar(settled.at, then.extendBy);
    if (extended > activeUntil) activeUntil = extended;
    because = [...because, { clock: 'renewalAccepted', at: settled.at, eventId: settled.eventId }];
  }
  if (requested && !settled && requested.at >= activeUntil) {
    const answerBy = addCalendar(requested.at, then.answerWithin);
    because = [
      ...because,
      { clock: 'renewalRequested', at: requested.at, eventId: requested.eventId },
    ];
    return { purpose, rule, activeUntil, activeEnd: answerBy, because };
  }
  return { purpose, rule, activeUntil, activeEnd: null, renewalDueAt: activeUntil, because };
}

function earliestStop(clocks: readonly string[], resolve: ClockResolver): DateResult | undefined {
  let stop: DateResult | undefined;
  for (const clock of clocks) {
    const reading = resolve(clock);
    if (reading && (stop === undefined || reading.at < stop.at)) {
      stop = { at: reading.at, because: [{ clock, at: reading.at, eventId: reading.eventId }] };
    }
  }
  return stop;
}
