import { addCalendar } from '../calendar';
import type { DateRule } from '../policy';
import type { Because } from './schedule.types';

export interface ClockReading {
  readonly at: string;
  readonly eventId: string;
}

/** Finds a base clock's value for the record and purpose being evaluated. */
export type ClockResolver = (clock: string) => ClockReading | undefined;

export interface DateResult {
  readonly at: string;
  /** The clocks of the branch that won: what proves the date. */
  readonly because: readonly Because[];
}

/**
 * Evaluates a date rule: a clock plus a duration, or the earliest or latest of several.
 * A rule with no date yet gives undefined (`activeUntil: null`).
 * Clocks defined by the policy are evaluated in place, so `because` names base clocks.
 */
export function evaluateDateRule(
  rule: DateRule,
  resolve: ClockResolver,
  defined: Readonly<Record<string, DateRule>>,
): DateResult | undefined {
  if ('clock' in rule) {
    const base = clockDate(rule.clock, resolve, defined);
    if (base === undefined || rule.plus === undefined) return base;
    return { at: addCalendar(base.at, rule.plus), because: base.because };
  }
  // "Whichever is first" of the dates that are known: an unknown clock (an account not
  // closed yet) does not count. "The later of" two ends has not come while either has not:
  // there an unknown clock holds the date open.
  const pickEarliest = 'earliest' in rule;
  let best: DateResult | undefined;
  for (const branch of pickEarliest ? rule.earliest : rule.latest) {
    const result = evaluateDateRule(branch, resolve, defined);
    if (result === undefined) {
      if (pickEarliest) continue;
      return undefined;
    }
    // ISO-8601 UTC strings of one form compare as instants.
    if (best === undefined || (pickEarliest ? result.at < best.at : result.at > best.at))
      best = result;
  }
  return best;
}

function clockDate(
  clock: string,
  resolve: ClockResolver,
  defined: Readonly<Record<string, DateRule>>,
): DateResult | undefined {
  const definition = defined[clock];
  if (definition !== undefined) return evaluateDateRule(definition, resolve, defined);
  const reading = resolve(clock);
  return (
    reading && { at: reading.at, because: [{ clock, at: reading.at, eventId: reading.eventId }] }
  );
}
