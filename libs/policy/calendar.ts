import { UTCDate } from '@date-fns/utc';
import { add } from 'date-fns';
import { Duration } from 'luxon';
import type { CalendarDuration } from './policy';

/** Five digits per part: far enough for any retention rule, near enough to stay a valid date. */
const MAX_PART = 99_999;

/**
 * Parses an ISO-8601 calendar duration, `PnYnMnD` only (`P2Y`, `P14M`, `P1Y6M`, `P30D`).
 * Weeks, time parts, fractions and negative values are refused: a retention period is
 * counted in whole calendar steps, and a policy that writes `PT48H` or `P-1Y` is mistaken.
 */
export function parseCalendarDuration(iso: string): CalendarDuration | undefined {
  // Luxon also accepts `-P1Y`, `P-1Y`, `P1DT` and a bare `P`; none is a retention period.
  if (typeof iso !== 'string' || /[-T]/.test(iso) || iso === 'P') return undefined;
  const parsed = Duration.fromISO(iso);
  if (!parsed.isValid) return undefined;
  const parts = parsed.toObject();
  const allowed = ['years', 'months', 'days'];
  if (Object.keys(parts).some((unit) => !allowed.includes(unit))) return undefined;
  const { years = 0, months = 0, days = 0 } = parts;
  const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_PART;
  if (!whole(years) || !whole(months) || !whole(days)) return undefined;
  return { iso, years, months, days };
}

/**
 * `instant + duration` as the policy spec counts it (spec/retention-policy.md, "Rules of
 * arithmetic"): calendar steps in UTC keeping the time of day, years and months first with
 * a missing day clamped to the month's last day, then days. 2024-02-29 + P2Y = 2026-02-28;
 * 2025-01-31 + P1M = 2025-02-28.
 *
 * date-fns on a `UTCDate` rather than luxon: the evaluator calls this for every rule of every
 * record, and it is several times faster. Throws a `RangeError` on an instant that is not a date.
 */
export function addCalendar(instantIso: string, duration: CalendarDuration): string {
  const sum = add(new UTCDate(instantIso), {
    years: duration.years,
    months: duration.months,
    days: duration.days,
  });
  return sum.toISOString();
}
