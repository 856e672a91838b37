import { ledgerEventId } from '../../domain/policy-versions/policy-version-published';
import type { RecordRef } from './lifecycle-decision';

/**
 * The id of what the saga writes about one record: the same record, action, deadline and
 * policy version always give the same id, so a step redone after a crash (or by two
 * workers at once) is stored once; the log refuses the second.
 */
export function lifecycleEventId(
  type: string,
  pseudonym: string,
  record: RecordRef,
  dueAt: string,
  policyVersion: string,
): string {
  return ledgerEventId(
    ['lifecycle', type, pseudonym, record.recordKey, record.category, dueAt, policyVersion].join(
      '\n',
    ),
  );
}
