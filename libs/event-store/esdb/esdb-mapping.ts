/**
 * The pure half of the EventStoreDB adapter: how our port's values become the client's and
 * back, and how an event-id reservation is judged. No I/O here, so all of it is unit-tested
 * without a server (`esdb-mapping.spec.ts`); `esdb-event-store.ts` does the talking.
 */
import {
  isCommandError,
  jsonEvent,
  binaryEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type Position,
  type ReadPosition,
  type RegexFilter,
} from '@eventstore/db-client';
import { ConcurrencyError, EventStoreError, StoreUnavailableError } from '../event-store.errors';
import type {
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  LogPosition,
  RecordedEvent,
  StreamRevision,
} from '../event-store.port';

// ---- streams of the event-id index -------------------------------------------------------

/** Not `$`-prefixed: those are EventStoreDB's system streams (and need admin rights). */
export const INDEX_STREAM_PREFIX = 'ledger-eventid-';
export const EVENT_ID_RESERVED = 'EventIdReserved';
export const EVENT_ID_RELEASED = 'EventIdReleased';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** EventStoreDB gives ids back lowercased, so every comparison uses that form. */
export function normalizeEventId(eventId: string): string {
  if (!isUuid(eventId)) throw new TypeError('eventId must be a UUID');
  return eventId.toLowerCase();
}

export function indexStreamOf(eventId: string): string {
  return INDEX_STREAM_PREFIX + normalizeEventId(eventId);
}

/** Our streams must stay visible to the `$all` filter and apart from the index. */
export function assertLedgerStreamName(streamName: string): void {
  if (streamName === '' || !isLedgerStream(streamName)) {
    throw new TypeError(`stream name is reserved: ${streamName}`);
  }
}

export function isLedgerStream(streamName: string): boolean {
  return !streamName.startsWith('$') && !streamName.startsWith(INDEX_STREAM_PREFIX);
}

/** What `$all` readers see: our streams, no system events, no index entries. */
export function isLedgerEvent(event: { streamId: string; type: string }): boolean {
  return isLedgerStream(event.streamId) && !event.type.startsWith('$');
}

/**
 * The server-side half of `isLedgerEvent` (a filter matches stream names or event types,
 * not both, so system event types in our own streams are dropped client-side). .NET regex.
 */
export const LEDGER_STREAMS_REGEX = `^(?!\\$|${INDEX_STREAM_PREFIX})`;

export function ledgerStreamsFilter(): RegexFilter {
  return streamNameFilter({ regex: LEDGER_STREAMS_REGEX });
}

// ---- revisions and positions ------------------------------------------------------------

export function expectationHolds(
  expected: ExpectedRevision,
  current: StreamRevision | undefined,
): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  return current === expected;
}

/** The exact expectation for a stream we just read: never the client's ANY. */
export function exactExpectation(current: StreamRevision | undefined): typeof NO_STREAM | bigint {
  return current === undefined ? NO_STREAM : current;
}

/** The revisions `count` events get when appended after `current`. */
export function revisionsAfter(current: StreamRevision | undefined, count: number): bigint[] {
  const first = current === undefined ? 0n : current + 1n;
  return Array.from({ length: count }, (_, i) => first + BigInt(i));
}

/** The server reports "no stream" as the string or as -1, depending on the code path. */
export function fromEsdbCurrent(current: CurrentRevision): StreamRevision | undefined {
  return current === NO_STREAM || current < 0n ? undefined : current;
}

export function fromEsdbExpected(expected: AppendExpectedRevision): ExpectedRevision {
  if (expected === NO_STREAM || expected === -1n) return 'no_stream';
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  return 'any';
}

export function toLogPosition(position: Position): LogPosition {
  return { commit: position.commit, prepare: position.prepare };
}

/** EventStoreDB subscriptions start after the position given: exclusive, like our `after`. */
export function toReadPosition(after: LogPosition | undefined): ReadPosition {
  return after === undefined ? START : { commit: after.commit, prepare: after.prepare };
}

// ---- events ------------------------------------------------------------------------------

/** The fields of the client's recorded event that we read (it satisfies this shape). */
export interface EsdbEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly created: Date;
  readonly position?: Position;
}

/** Binary, so the bytes come back exactly; our event id is EventStoreDB's event id. */
export function toEventData(event: EventToAppend): EventData {
  return binaryEvent({ id: normalizeEventId(event.eventId), type: event.type, data: event.data });
}

export function eventPosition(event: EsdbEvent): LogPosition {
  if (!event.position) throw new Error('EventStoreDB 22.6 or later is needed: no event position');
  return toLogPosition(event.position);
}

export function toRecordedEvent(event: EsdbEvent): RecordedEvent {
  return {
    eventId: event.id,
    type: event.type,
    data: toBytes(event),
    streamName: event.streamId,
    revision: event.revision,
    position: eventPosition(event),
  };
}

/**
 * We only write binary events. A JSON event written by another tool comes back parsed by
 * the client, so its bytes are re-serialized and may differ from what that tool sent.
 */
function toBytes(event: EsdbEvent): Uint8Array {
  if (event.data instanceof Uint8Array) return new Uint8Array(event.data);
  const text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return new TextEncoder().encode(text);
}

/** The result of an append, from the events as stored (in the request's order). */
export function appendResultOf(streamName: string, events: readonly RecordedEvent[]): AppendResult {
  return {
    streamName,
    nextExpectedRevision: events[events.length - 1].revision,
    positions: events.map((e) => e.position),
  };
}

/** Ids given more than once (compared as EventStoreDB compares them), once each. */
export function repeatedIds(eventIds: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of eventIds) {
    const key = normalizeEventId(id);
    if (seen.has(key)) repeated.add(id);
    seen.add(key);
  }
  return [...repeated];
}

// ---- errors ------------------------------------------------------------------------------

export interface ErrorContext {
  readonly streamName?: string;
  /** The expectation we sent, reported instead of the server's rendering of it. */
  readonly expected?: ExpectedRevision;
}

/**
 * The client's errors as ours: a wrong expected version is a `ConcurrencyError`; any other
 * refusal or an unreachable server is `StoreUnavailableError`. Anything else (a bug) is
 * returned unchanged so that it is not hidden behind "unavailable".
 */
export function toStoreError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof WrongExpectedVersionError) {
    return new ConcurrencyError(
      error.streamName ?? context.streamName ?? '',
      context.expected ?? fromEsdbExpected(error.expectedVersion),
      fromEsdbCurrent(error.actualVersion),
    );
  }
  if (error instanceof Error && isCommandError(error)) {
    return new StoreUnavailableError(`EventStoreDB: ${error.type}`, { cause: error });
  }
  // Cluster discovery gives up with a plain Error.
  if (error instanceof Error && error.message.startsWith('Failed to discover')) {
    return new StoreUnavailableError('EventStoreDB: no node could be reached', { cause: error });
  }
  return error;
}

// ---- event-id reservations ---------------------------------------------------------------

/** Where an event with a reserved id is (or was meant to be) stored. */
export interface Slot {
  readonly streamName: string;
  readonly revision: StreamRevision;
}

export type Reservation =
  { readonly kind: 'reserved'; readonly slot: Slot } | { readonly kind: 'released' };

/** The last entry of an index stream. */
export interface IndexEntry {
  readonly reservation: Reservation;
  readonly indexRevision: StreamRevision;
  /** The server's clock when the entry was written. */
  readonly writtenAt: Date;
}

export function reservationEvent(slot: Slot): EventData {
  return jsonEvent({
    type: EVENT_ID_RESERVED,
    data: { streamName: slot.streamName, revision: slot.revision.toString() },
  });
}

/** Written only by a writer that never sent its append, so the slot cannot fill later. */
export function releaseEvent(): EventData {
  return jsonEvent({ type: EVENT_ID_RELEASED, data: {} });
}

export function toIndexEntry(event: EsdbEvent): IndexEntry {
  const base = { indexRevision: event.revision, writtenAt: event.created };
  if (event.type === EVENT_ID_RELEASED) return { ...base, reservation: { kind: 'released' } };
  const data = event.data as { streamName?: unknown; revision?: unknown } | undefined;
  if (
    event.type !== EVENT_ID_RESERVED ||
    typeof data?.streamName !== 'string' ||
    typeof data.revision !== 'string'
  ) {
    throw new Error(`unreadable event-id index entry in ${event.streamId}`);
  }
  const slot = { streamName: data.streamName, revision: BigInt(data.revision) };
  return { ...base, reservation: { kind: 'reserved', slot } };
}

/** What the reserved slot holds now. */
export type SlotContent = 'this-event' | 'other-event' | 'empty';

export function slotContent(eventId: string, storedId: string | undefined): SlotContent {
  if (storedId === undefined) return 'empty';
  return storedId.toLowerCase() === normalizeEventId(eventId) ? 'this-event' : 'other-event';
}

export type ClaimDecision =
  /** Write a reservation; `no_stream` for a fresh id, else over the stale entry. */
  | { readonly action: 'reserve'; readonly expectedIndexRevision: typeof NO_STREAM | bigint }
  /** The reservation already names the slot we want: append, the stream's revision decides. */
  | { readonly action: 'adopt' }
  | { readonly action: 'duplicate' }
  /** Another writer may still be appending this id elsewhere: not ours to take yet. */
  | { readonly action: 'wait' };

/**
 * Whether this append may take event id `eventId` to `wanted`. A reservation whose slot
 * holds another event can never be filled (appends use an exact revision), so it is stale;
 * an empty slot may be a crashed writer or one still in flight, so it is taken over only
 * after `graceMs`, which outlasts any append (the adapter never sends one later than a
 * third of it after reading the index).
 */
export function decideClaim(
  entry: IndexEntry | undefined,
  content: SlotContent,
  wanted: Slot,
  nowMs: number,
  graceMs: number,
): ClaimDecision {
  if (entry === undefined) return { action: 'reserve', expectedIndexRevision: NO_STREAM };
  const takeOver = { action: 'reserve', expectedIndexRevision: entry.indexRevision } as const;
  if (entry.reservation.kind === 'released') return takeOver;
  if (content === 'this-event') return { action: 'duplicate' };
  if (content === 'other-event') return takeOver;
  const { slot } = entry.reservation;
  if (slot.streamName === wanted.streamName && slot.revision === wanted.revision) {
    return { action: 'adopt' };
  }
  return nowMs - entry.writtenAt.getTime() > graceMs ? takeOver : { action: 'wait' };
}
