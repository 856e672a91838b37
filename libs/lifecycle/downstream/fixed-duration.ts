const FIXED_DURATION =
  /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;
const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 };

/**
 * An ISO-8601 duration of fixed length (`P2D`, `PT48H`, `PT0.05S`), in milliseconds. Years
 * and months are refused: an acknowledgement SLA or a retry delay is a span of time, not a
 * calendar step. Undefined when the text is not one, or is zero.
 */
export function parseFixedDuration(text: string): number | undefined {
  const match = FIXED_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * MS.week +
    Number(days ?? 0) * MS.day +
    Number(hours ?? 0) * MS.hour +
    Number(minutes ?? 0) * MS.minute +
    Math.round(Number(seconds ?? 0) * MS.second);
  return ms > 0 ? ms : undefined;
}
