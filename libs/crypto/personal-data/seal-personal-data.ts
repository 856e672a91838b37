import { open, seal } from '../aead';
import type { SealedPersonalData } from '../../domain/events/ledger-event';

/**
 * What a sealed box is bound to: it opens only as the data of this event, category and
 * record, so boxes cannot be swapped between events or records in the log.
 */
function associatedData(eventId: string, box: Omit<SealedPersonalData, 'sealed'>): Buffer {
  return Buffer.from(
    `ledger/v1/personal-data\n${eventId}\n${box.category}\n${box.recordKey}\n${box.keyId}`,
    'utf8',
  );
}

export function sealPersonalData(
  eventId: string,
  target: Omit<SealedPersonalData, 'sealed'>,
  key: Buffer,
  values: unknown,
): SealedPersonalData {
  const box = seal(key, JSON.stringify(values), associatedData(eventId, target));
  return { ...target, sealed: box.toString('base64') };
}

export function openPersonalData(eventId: string, box: SealedPersonalData, key: Buffer): unknown {
  return JSON.parse(openPersonalDataJson(eventId, box, key));
}

/** The JSON text the values were sealed as (`JSON.stringify` of them), authenticated. */
export function openPersonalDataJson(
  eventId: string,
  box: SealedPersonalData,
  key: Buffer,
): string {
  const plaintext = open(key, Buffer.from(box.sealed, 'base64'), associatedData(eventId, box));
  return plaintext.toString('utf8');
}
