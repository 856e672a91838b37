import { CHUNK_ITEMS, type ChunkPlace } from './content-chunks';

/**
 * One value not sealed into a chunk yet: box `boxNo` of the event at `revision` of the
 * subject's stream. Only where the value is, never the value: the tail holds no personal
 * data, sealed or not.
 */
export interface TailEntry {
  readonly pseudonym: string;
  readonly recordId: string;
  readonly revision: number;
  readonly boxNo: number;
  readonly eventId: string;
  readonly keyId: string;
}

/** What the read model holds of one record: its last chunk's number and its tail. */
export interface StoredRecordContent {
  readonly lastChunkNo: number | undefined;
  /** In log order. */
  readonly tail: readonly TailEntry[];
}

/** A run of a record's values to seal into one chunk, under the run's key. */
export interface ChunkToSeal {
  readonly place: ChunkPlace;
  readonly entries: readonly TailEntry[];
}

export interface ContentPlan {
  readonly seal: readonly ChunkToSeal[];
  /** New entries left in their record's tail. */
  readonly tailAdded: readonly TailEntry[];
  /** Stored entries that left the tail (sealed, or dropped with their dead key). */
  readonly tailRemoved: readonly TailEntry[];
}

/**
 * Where a batch's values go. Each record's values, in log order, wait in its tail until
 * `CHUNK_ITEMS` of them share a key, or a value under another key follows (the record was
 * erased and collects again): that run is then sealed into the record's next chunk, or
 * dropped when its key is gone (nothing could open it). A value is opened and sealed once:
 * chunks are never reopened to grow, and an export opens a record's tail (fewer than
 * `CHUNK_ITEMS` values) from the stream it reads anyway.
 */
export function planContent(
  added: readonly TailEntry[],
  stored: (pseudonym: string, recordId: string) => StoredRecordContent,
  liveKeyIds: ReadonlySet<string>,
): ContentPlan {
  const seal: ChunkToSeal[] = [];
  const tailAdded: TailEntry[] = [];
  const tailRemoved: TailEntry[] = [];
  for (const [first, ...rest] of byRecord(added)) {
    const { pseudonym, recordId } = first;
    const { lastChunkNo, tail: storedTail } = stored(pseudonym, recordId);
    let tail = [...storedTail, first, ...rest];
    let chunkNo = (lastChunkNo ?? -1) + 1;
    for (;;) {
      const run = leadingRun(tail);
      const closed = run.length === CHUNK_ITEMS || run.length < tail.length;
      if (!closed) break;
      const { keyId } = run[0];
      if (liveKeyIds.has(keyId)) {
        seal.push({ place: { pseudonym, recordId, chunkNo, keyId }, entries: run });
        chunkNo += 1;
      }
      tail = tail.slice(run.length);
    }
    const left = new Set(tail);
    tailRemoved.push(...storedTail.filter((entry) => !left.has(entry)));
    tailAdded.push(...tail.filter((entry) => !storedTail.includes(entry)));
  }
  return { seal, tailAdded, tailRemoved };
}

/** One key for a subject's record (neither part holds a line break). */
export function recordSlot(pseudonym: string, recordId: string): string {
  return `${pseudonym}\n${recordId}`;
}

/** The entries of each record, in log order, records in order of first appearance. */
function byRecord(entries: readonly TailEntry[]): TailEntry[][] {
  const records = new Map<string, TailEntry[]>();
  for (const entry of entries) {
    const slot = recordSlot(entry.pseudonym, entry.recordId);
    const list = records.get(slot);
    if (list) list.push(entry);
    else records.set(slot, [entry]);
  }
  return [...records.values()];
}

/** The tail's first entries under its first entry's key, at most `CHUNK_ITEMS`. */
function leadingRun(tail: readonly TailEntry[]): TailEntry[] {
  const keyId = tail[0]?.keyId;
  let n = 0;
  while (n < tail.length && n < CHUNK_ITEMS && tail[n].keyId === keyId) n++;
  return tail.slice(0, n);
}
