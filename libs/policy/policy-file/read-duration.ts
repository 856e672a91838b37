import { isScalar } from 'yaml';
import { parseCalendarDuration } from '../calendar';
import type { CalendarDuration } from '../policy';
import type { YamlReader } from './yaml-reader';

/** A calendar duration as written in the file (`P2Y`, `P14M`, `P30D`). */
export function readDuration(
  reader: YamlReader,
  node: unknown,
  what: string,
): CalendarDuration | undefined {
  const value: unknown = isScalar(node) ? node.value : undefined;
  const duration = typeof value === 'string' ? parseCalendarDuration(value) : undefined;
  if (duration) return duration;
  const shown = value === undefined || value === null ? 'nothing' : `"${String(value)}"`;
  reader.problem(
    node,
    `${what} must be a calendar duration PnYnMnD in whole non-negative numbers, such as P2Y, P14M or P30D (not ${shown})`,
  );
  return undefined;
}
