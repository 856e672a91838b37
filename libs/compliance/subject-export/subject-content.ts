import type { KeyVault } from '../../crypto/key-vault.port';
import { openPersonalDataJson } from '../../crypto/personal-data/seal-personal-data';
import { parseLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { recordIdOf } from '../../domain/subjects/subject-state';
import { exportedValueText, openChunk } from '../subject-content/content-chunks';
import type { ContentSnapshot } from '../subject-content/sqlite-subject-content';
import type { ContentOpeners } from './content-openers';
import type { ExportedValue, SharedReport } from './subject-export.types';

/** What the export shows of the stream's events themselves. */
export interface SubjectContent {
  /** The opened values of each active record, by record id, in log order. */
  readonly values: ReadonlyMap<string, readonly ExportedValue[]>;
  /** Every `ReportShared`, in log order. */
  readonly shared: readonly SharedReport[];
}

/**
 * Below this many events a thread's share, a stream is opened where it was read: the round
 * trip to a thread would cost more than it saves.
 */
const MIN_EVENTS_PER_THREAD = 500;

/**
 * The content of a subject's stream, opened with the live keys of its active records: on
 * the openers' threads in consecutive runs when there are any and the stream is long enough,
 * else here.
 */
export async function readSubjectContent(
  vault: Pick<KeyVault, 'liveKeysOf' | 'dataKey'>,
  pseudonym: string,
  payloads: readonly string[],
  activeRecordIds: readonly string[],
  openers?: ContentOpeners,
): Promise<SubjectContent> {
  const keys = await activeRecordKeys(vault, pseudonym, activeRecordIds);
  const runs = Math.min(openers?.threads ?? 0, Math.floor(payloads.length / MIN_EVENTS_PER_THREAD));
  if (openers === undefined || runs < 2) {
    return openSubjectContent(payloads, keys, activeRecordIds);
  }
  const size = Math.ceil(payloads.length / runs);
  const parts = await Promise.all(
    Array.from({ length: runs }, (_, i) =>
      openers.open({
        payloads: payloads.slice(i * size, (i + 1) * size),
        keys,
        activeRecordIds,
      }),
    ),
  );
  return joinSubjectContents(activeRecordIds, parts.map(subjectContentOfText));
}

/**
 * The content from the subject-content read model (chunks and tails as read with a
 * checkpoint that covers the stream): each active record's chunks opened with its live key,
 * then its tail's values opened from the stream (under `CHUNK_ITEMS` a record), some 300
 * opens for 10,000 values instead of 10,000; the shared reports from the stream, parsing
 * only the events that can be one. Undefined when a tail entry does not name the event at
 * its place in the stream: the caller then opens the stream in full.
 */
export async function readStoredSubjectContent(
  vault: Pick<KeyVault, 'liveKeysOf' | 'dataKey'>,
  pseudonym: string,
  { chunks, tail }: Pick<ContentSnapshot, 'chunks' | 'tail'>,
  payloads: readonly string[],
  activeRecordIds: readonly string[],
): Promise<SubjectContent | undefined> {
  const keys = await activeRecordKeys(vault, pseudonym, activeRecordIds);
  const texts = new Map<string, string[]>(activeRecordIds.map((id) => [id, []]));
  for (const chunk of chunks) {
    const list = texts.get(chunk.recordId);
    const key = keys.get(chunk.keyId);
    if (list === undefined || key === undefined) continue;
    list.push(openChunk(key, chunk, chunk.sealed));
  }
  for (const entry of tail) {
    const list = texts.get(entry.recordId);
    const key = keys.get(entry.keyId);
    if (list === undefined || key === undefined) continue;
    const payload = payloads[entry.revision];
    const event = payload === undefined ? undefined : parseLedgerEvent(payload);
    const box = event?.eventId === entry.eventId ? event.personalData?.[entry.boxNo] : undefined;
    if (event === undefined || box === undefined) return undefined;
    list.push(exportedValueText(event, openPersonalDataJson(event.eventId, box, key)));
  }
  const values = new Map<string, ExportedValue[]>();
  for (const [id, list] of texts) values.set(id, JSON.parse(`[${list.join(',')}]`));
  return { values, shared: sharedReportsIn(payloads) };
}

/** A stored event of this type holds its name; the parse then tells it apart. */
const REPORT_SHARED = 'ReportShared';

function sharedReportsIn(payloads: readonly string[]): SharedReport[] {
  const shared: SharedReport[] = [];
  for (const payload of payloads) {
    if (!payload.includes(REPORT_SHARED)) continue;
    const event = parseLedgerEvent(payload);
    if (event.type === 'ReportShared') shared.push(sharedReportOf(event));
  }
  return shared;
}

/**
 * The data keys of the subject's active records that are still alive, by key id: one vault
 * lookup (one unwrap) per key, whatever its event count. A key destroyed under an active
 * record (its erasure under way) is not among them: the record's values are left out.
 */
export async function activeRecordKeys(
  vault: Pick<KeyVault, 'liveKeysOf' | 'dataKey'>,
  pseudonym: string,
  activeRecordIds: readonly string[],
): Promise<Map<string, Buffer>> {
  const active = new Set(activeRecordIds);
  const keys = new Map<string, Buffer>();
  for (const live of await vault.liveKeysOf(pseudonym)) {
    if (!active.has(recordIdOf(live.recordKey, live.category))) continue;
    const key = await vault.dataKey(live.keyId);
    if (key !== undefined) keys.set(live.keyId, key);
  }
  return keys;
}

/**
 * One pass over stored events (all of a stream, or a run of them): each is parsed, read and
 * dropped before the next, so only what the export keeps outlives it. Holding the 10,000
 * parsed events of a stream until the end made every young-generation GC copy them: GC went
 * from 20% to 12% of an export's profile without them (bench/export.bench.ts's subject).
 * A box whose key is not among `keys` is left out.
 */
export function openSubjectContent(
  payloads: readonly string[],
  keys: ReadonlyMap<string, Buffer>,
  activeRecordIds: readonly string[],
): SubjectContent {
  return openEach(payloads, keys, activeRecordIds, (event, json) => ({
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    source: event.source,
    values: JSON.parse(json),
  }));
}

/** `SubjectContent` as an opening thread sends it back: each record's values as JSON text. */
export interface SubjectContentText {
  readonly values: ReadonlyMap<string, string>;
  readonly shared: readonly SharedReport[];
}

/**
 * `openSubjectContent` with each record's values as the JSON text of their list, built
 * around the opened plaintexts (the `JSON.stringify` of the values, authenticated by GCM):
 * the main thread parses 10,000 values from JSON in half the time it takes to copy them
 * from a message as objects (19 against 38 ms, measured), and the thread parses none.
 */
export function openSubjectContentText(
  payloads: readonly string[],
  keys: ReadonlyMap<string, Buffer>,
  activeRecordIds: readonly string[],
): SubjectContentText {
  const opened = openEach(payloads, keys, activeRecordIds, exportedValueText);
  const values = new Map<string, string>();
  for (const [id, list] of opened.values) values.set(id, `[${list.join(',')}]`);
  return { values, shared: opened.shared };
}

/** The content from its text form (`openSubjectContentText`). */
export function subjectContentOfText(text: SubjectContentText): SubjectContent {
  const values = new Map<string, ExportedValue[]>();
  for (const [id, json] of text.values) values.set(id, JSON.parse(json));
  return { values, shared: text.shared };
}

function openEach<T>(
  payloads: readonly string[],
  keys: ReadonlyMap<string, Buffer>,
  activeRecordIds: readonly string[],
  valueOf: (event: LedgerEventV1, json: string) => T,
): { values: Map<string, T[]>; shared: SharedReport[] } {
  const values = new Map<string, T[]>(activeRecordIds.map((id) => [id, []]));
  const shared: SharedReport[] = [];
  for (const payload of payloads) {
    const event = parseLedgerEvent(payload);
    if (event.type === 'ReportShared') shared.push(sharedReportOf(event));
    if (event.personalData === undefined) continue;
    for (const box of event.personalData) {
      const list = values.get(recordIdOf(box.recordKey, box.category));
      if (list === undefined) continue;
      const key = keys.get(box.keyId);
      if (key === undefined) continue;
      list.push(valueOf(event, openPersonalDataJson(event.eventId, box, key)));
    }
  }
  return { values, shared };
}

/** The contents of consecutive runs of a stream, in their order, as one. */
export function joinSubjectContents(
  activeRecordIds: readonly string[],
  parts: readonly SubjectContent[],
): SubjectContent {
  const values = new Map<string, ExportedValue[]>(
    activeRecordIds.map((id) => [id, parts.flatMap((part) => part.values.get(id) ?? [])]),
  );
  return { values, shared: parts.flatMap((part) => part.shared) };
}

function sharedReportOf(event: LedgerEventV1): SharedReport {
  return {
    reportId: String(event.data.reportId),
    recipientType: String(event.data.recipientType),
    recipientId: String(event.data.recipientId),
    sharedAt: event.occurredAt,
    eventId: event.eventId,
    source: event.source,
  };
}
