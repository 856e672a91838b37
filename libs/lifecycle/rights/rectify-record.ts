import type { KeyVault } from '../../crypto/key-vault.port';
import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import type { RightsRequestStep } from '../../domain/events/ledger-written-events';
import type { RecordRef } from '../saga/lifecycle-decision';
import { recordKeyIds } from '../saga/record-key-ids';

/**
 * Rectification (art. 16): the old value is erased by destroying the keys it was sealed
 * under, the keys of the events before the request. The record itself lives on: the new
 * value is published as a normal event and the vault seals it under a new key. Idempotent
 * (a destroyed key gives its fingerprint again), so a retry after a crash redoes it.
 */
export async function rectify(
  vault: KeyVault,
  eventsBeforeRequest: readonly LedgerEventV1[],
  ref: RecordRef,
): Promise<RightsRequestStep[]> {
  const keyFingerprints: string[] = [];
  for (const keyId of recordKeyIds(eventsBeforeRequest, ref)) {
    keyFingerprints.push((await vault.destroyDataKey(keyId)).fingerprint);
  }
  return [{ action: 'key-destroyed', ...ref, keyFingerprints }];
}
