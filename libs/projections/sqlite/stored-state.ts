import {
  recordRefOf,
  type ClockValue,
  type RecordState,
  type SubjectState,
} from '../../domain/subjects/subject-state';

/**
 * A record as `subjects.state` stores it: `[collectedAt, collectedAt's event, sources]`, with
 * `lastCollectedAt` and its event inserted before `sources` when they differ from the first
 * collection. The record key and category are left out: the record's id in the map names them.
 */
type StoredRecord =
  | readonly [at: string, eventId: string, sources: readonly string[]]
  | readonly [
      at: string,
      eventId: string,
      lastAt: string,
      lastEventId: string,
      sources: readonly string[],
    ];

/**
 * How the read store keeps a subject's state: its canonical JSON, each record as a tuple.
 * Records are most of a state (a subject active for years has one per month) and each repeated
 * its key, its category and, mostly, the same clock twice: 2,969 bytes a subject on the
 * rebuild benchmark's log as plain JSON, 1,424 this way (measured), and every byte is written
 * once per commit of the subject. `decodeStoredState(encodeStoredState(s))` is `s`, fields and
 * keys in the same order, so a state read back encodes to the same text (tested on random
 * histories). `evolveSubject` returns canonical states (fields in one order, map keys sorted):
 * the same state is the same text, whatever built it, and a rebuild writes the same bytes.
 */
export function encodeStoredState(state: SubjectState): string {
  const records: Record<string, StoredRecord> = {};
  for (const id in state.records) records[id] = storedRecord(state.records[id]);
  return JSON.stringify({ ...state, records });
}

export function decodeStoredState(text: string): SubjectState {
  const stored = JSON.parse(text) as Omit<SubjectState, 'records'> & {
    records: Record<string, StoredRecord>;
  };
  const records: Record<string, RecordState> = {};
  for (const id in stored.records) records[id] = recordOf(id, stored.records[id]);
  stored.records = records as never;
  return stored as unknown as SubjectState;
}

function storedRecord({ collectedAt: first, lastCollectedAt: last, sources }: RecordState) {
  return first.at === last.at && first.eventId === last.eventId
    ? ([first.at, first.eventId, sources] as const)
    : ([first.at, first.eventId, last.at, last.eventId, sources] as const);
}

function recordOf(id: string, stored: StoredRecord): RecordState {
  const { recordKey, category } = recordRefOf(id);
  const collectedAt: ClockValue = { at: stored[0], eventId: stored[1] };
  if (stored.length === 3) {
    return {
      recordKey,
      category,
      collectedAt,
      lastCollectedAt: { ...collectedAt },
      sources: stored[2],
    };
  }
  const lastCollectedAt: ClockValue = { at: stored[2], eventId: stored[3] };
  return { recordKey, category, collectedAt, lastCollectedAt, sources: stored[4] };
}
