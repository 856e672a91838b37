import type { SubjectLinkFate } from '../../domain/events/ledger-written-events';
import { recordIdOf, type SubjectState } from '../../domain/subjects/subject-state';
import { systemsHolding, type SystemsRegistry } from './downstream-systems';

/**
 * When the platform id stops resolving. The link goes with the subject's last record
 * (decision 3): the platform id finds the pseudonym no more, and a subject that comes back
 * starts afresh under a new one. But the downstream systems are told the platform id (the
 * pseudonym means nothing to them): while a system holds a category of the subject's
 * records, the sealed id stays readable by pseudonym until every command about the subject
 * has been acknowledged (forget-kept-links.ts).
 */

/** Every record of the subject is erased, or is the one being erased now. */
export function everyRecordErased(state: SubjectState, erasing?: string): boolean {
  return Object.keys(state.records).every(
    (id) => id === erasing || state.phases[id]?.erased !== undefined,
  );
}

/**
 * What erasing this record does to the link: nothing when another record is still held;
 * on the last one, forgotten, its platform id kept for the systems when one holds one of
 * the subject's categories.
 */
export function subjectLinkFate(
  state: SubjectState,
  erasing: { readonly recordKey: string; readonly category: string },
  registry: SystemsRegistry,
): SubjectLinkFate | undefined {
  if (!everyRecordErased(state, recordIdOf(erasing.recordKey, erasing.category))) return undefined;
  const told = Object.values(state.records).some(
    (record) => systemsHolding(registry, record.category).length > 0,
  );
  return told ? 'kept-for-systems' : 'forgotten';
}
