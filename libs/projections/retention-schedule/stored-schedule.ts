import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { SubjectSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';
import type { ReadStore } from '../read-store.port';

/**
 * One subject's retention schedule, computed from its stored state under `policy` (the one in
 * force): a pure function of the two, so the store keeps the state, not the schedule.
 * Undefined when the read models know no such subject.
 */
export async function storedSchedule(
  readStore: ReadStore,
  policy: Policy,
  pseudonym: string,
): Promise<SubjectSchedule | undefined> {
  const state = (await readStore.loadStates([pseudonym])).get(pseudonym);
  return state && retentionSchedule(state, policy);
}
