import { clockValue } from '../../domain/subjects/clock-value';
import {
  recordIdOf,
  type RecordState,
  type SubjectState,
} from '../../domain/subjects/subject-state';
import type { ClockResolver } from './evaluate-date-rule';

/** The base clocks as one record and one purpose see them. */
export function clockResolver(
  state: SubjectState,
  record: RecordState,
  purposeId: string,
): ClockResolver {
  const recordId = recordIdOf(record.recordKey, record.category);
  return (clock) => clockValue(state, clock, recordId, purposeId);
}
