import type { ClockValue } from './subject-state';

/**
 * Orders clock values by instant, then by event id: two events at the same instant still
 * order the same way whatever order they arrived in, which makes every merge below
 * commutative.
 */
export function compareClocks(a: ClockValue, b: ClockValue): number {
  const byInstant = Date.parse(a.at) - Date.parse(b.at);
  if (byInstant !== 0 && !Number.isNaN(byInstant)) return Math.sign(byInstant);
  return compareCodeUnits(a.eventId, b.eventId) || compareCodeUnits(a.at, b.at);
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
