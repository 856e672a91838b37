import { openPersonalDataJson } from '../../crypto/personal-data/seal-personal-data';
import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import { recordIdOf } from '../../domain/subjects/subject-state';
import {
  CHUNK_ITEMS,
  exportedValueText,
  openChunk,
  sealChunk,
  type ChunkPlace,
} from './content-chunks';
import type { StoredChunk } from './sqlite-subject-content';

/** What folding a batch needs besides its events. */
export interface ContentFoldInputs {
  /** The data keys of the batch's boxes that are still alive, by key id. */
  readonly keys: ReadonlyMap<string, Buffer>;
  /** The last stored chunk of a record (`pseudonym`, `recordId`), if any. */
  readonly lastChunk: (pseudonym: string, recordId: string) => StoredChunk | undefined;
}

/** A chunk being filled: its comma-joined items, opened or new. */
interface GrowingChunk {
  readonly place: ChunkPlace;
  items: number;
  text: string;
}

/**
 * The chunks a batch of events writes, sealed: each value of each box appended, in log
 * order, to its record's last chunk while that chunk has room and the same key, else to a
 * new one. A box whose key is gone (its record erased) adds nothing: it could not be opened
 * by an export either. A chunk is opened and sealed once per batch, however many of its
 * values the batch holds.
 */
export function foldContent(
  events: readonly LedgerEventV1[],
  inputs: ContentFoldInputs,
): StoredChunk[] {
  const growing = new Map<string, GrowingChunk>();
  const written = new Set<GrowingChunk>();
  for (const event of events) {
    if (event.subject === undefined || event.personalData === undefined) continue;
    for (const box of event.personalData) {
      const key = inputs.keys.get(box.keyId);
      if (key === undefined) continue;
      const recordId = recordIdOf(box.recordKey, box.category);
      const slot = `${event.subject}\n${recordId}`;
      const current = growing.get(slot) ?? lastGrowing(event.subject, recordId, box.keyId, inputs);
      const item = exportedValueText(event, openPersonalDataJson(event.eventId, box, key));
      let chunk: GrowingChunk;
      if (current && current.place.keyId === box.keyId && current.items < CHUNK_ITEMS) {
        chunk = current;
        chunk.text = `${chunk.text},${item}`;
        chunk.items += 1;
      } else {
        const chunkNo = current ? current.place.chunkNo + 1 : 0;
        const place = { pseudonym: event.subject, recordId, chunkNo, keyId: box.keyId };
        chunk = { place, items: 1, text: item };
      }
      growing.set(slot, chunk);
      written.add(chunk);
    }
  }
  return [...written].map(({ place, items, text }) => ({
    ...place,
    items,
    sealed: sealChunk(inputs.keys.get(place.keyId)!, place, text),
  }));
}

/**
 * The record's stored last chunk as a growing one: opened when the next value may go into
 * it (same key, room left), else only its number (the next value starts a new chunk).
 */
function lastGrowing(
  pseudonym: string,
  recordId: string,
  keyId: string,
  inputs: ContentFoldInputs,
): GrowingChunk | undefined {
  const stored = inputs.lastChunk(pseudonym, recordId);
  if (stored === undefined) return undefined;
  const place = { pseudonym, recordId, chunkNo: stored.chunkNo, keyId: stored.keyId };
  if (stored.keyId !== keyId || stored.items >= CHUNK_ITEMS) {
    return { place, items: CHUNK_ITEMS, text: '' };
  }
  const key = inputs.keys.get(keyId)!;
  return { place, items: stored.items, text: openChunk(key, place, stored.sealed) };
}
