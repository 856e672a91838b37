import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import type { RecordRef } from './lifecycle-decision';

/**
 * Every data key one record's personal data was sealed under in these events, oldest
 * first (data that came after an earlier erasure got a new key).
 */
export function recordKeyIds(events: readonly LedgerEventV1[], ref: RecordRef): string[] {
  const keyIds = new Set<string>();
  for (const event of events) {
    for (const sealed of event.personalData ?? []) {
      if (sealed.recordKey === ref.recordKey && sealed.category === ref.category) {
        keyIds.add(sealed.keyId);
      }
    }
  }
  return [...keyIds];
}
