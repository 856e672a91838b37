import { open, seal } from '../../crypto/aead';
import type { LedgerEventV1 } from '../../domain/events/ledger-event';

/**
 * A record's exported values, in log order, sealed together in chunks of up to
 * `CHUNK_ITEMS` under the record's own data key: opening 10,000 values of a subject is then
 * some 300 AES-GCM opens, not 10,000 (each open costs ~7 us of set-up on this machine's
 * OpenSSL 3.0, whatever its length). Destroying the key erases the chunks with the log's
 * boxes: nothing here outlives crypto-shredding.
 */
export const CHUNK_ITEMS = 32;

/** Where a chunk belongs: sealed into it, so a chunk cannot be moved to another place. */
export interface ChunkPlace {
  readonly pseudonym: string;
  readonly recordId: string;
  readonly chunkNo: number;
  readonly keyId: string;
}

/**
 * One exported value as JSON text (an `ExportedValue`), built around the opened plaintext,
 * which is the `JSON.stringify` of the values as sealed (GCM authenticated it): no parse.
 * JSON.stringify never writes a raw line break or a bare top-level comma outside strings,
 * so items joined by commas make a JSON array once bracketed.
 */
export function exportedValueText(event: LedgerEventV1, valuesJson: string): string {
  return (
    `{"eventId":${JSON.stringify(event.eventId)},"type":${JSON.stringify(event.type)},` +
    `"occurredAt":${JSON.stringify(event.occurredAt)},"source":${JSON.stringify(event.source)},` +
    `"values":${valuesJson}}`
  );
}

/** Items joined by commas: `[${items}]` is the JSON array of the chunk's values. */
export function sealChunk(key: Buffer, place: ChunkPlace, items: string): Buffer {
  return seal(key, items, associatedData(place));
}

/** The comma-joined items of a chunk; DecryptionError for a wrong key, place or byte. */
export function openChunk(key: Buffer, place: ChunkPlace, sealed: Buffer): string {
  return open(key, sealed, associatedData(place)).toString('utf8');
}

function associatedData(place: ChunkPlace): Buffer {
  const { pseudonym, recordId, chunkNo, keyId } = place;
  return Buffer.from(
    `ledger/v1/content-chunk\n${pseudonym}\n${recordId}\n${chunkNo}\n${keyId}`,
    'utf8',
  );
}
