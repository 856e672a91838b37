import type { ClockValue } from './subject-state';

/**
 * Orders clock values by instant, then by event id: two events at the same instant still
 * order the same way whatever order they arrived in, which makes every merge below
 * commutative.
 */
export function compareClocks(a: ClockValue, b: ClockValue): number {
  // The ledger stores instants in `toISOString()` form, which sorts as text: no parsing
  // (this runs for nearly every event folded).
  if (isIsoString(a.at) && isIsoString(b.at)) {
    return compareCodeUnits(a.at, b.at) || compareCodeUnits(a.eventId, b.eventId);
  }
  const byInstant = Date.parse(a.at) - Date.parse(b.at);
  if (byInstant !== 0 && !Number.isNaN(byInstant)) return Math.sign(byInstant);
  return compareCodeUnits(a.eventId, b.eventId) || compareCodeUnits(a.at, b.at);
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, four-digit years (what `toISOString()` writes). */
function isIsoString(at: string): boolean {
  return (
    at.length === 24 &&
    at.charCodeAt(23) === 90 /* Z */ &&
    at.charCodeAt(10) === 84 /* T */ &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at)
  );
}

/** The earlier of two values; the current one (`a`) when they are the same event. */
export function earliest<T extends ClockValue>(a: T | undefined, b: T): T {
  return a !== undefined && compareClocks(a, b) <= 0 ? a : b;
}

/** The later of two values; the current one (`a`) when they are the same event. */
export function latest<T extends ClockValue>(a: T | undefined, b: T): T {
  return a !== undefined && compareClocks(a, b) >= 0 ? a : b;
}

/** Locale-free string order: the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
