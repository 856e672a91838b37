import { randomUUID } from 'node:crypto';
import {
  convertToCommandError,
  DeadlineExceededError,
  NO_STREAM,
  START,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  StoreUnavailableError,
} from '../event-store.errors';
import {
  appendResultOf,
  assertLedgerStreamName,
  decideClaim,
  EVENT_ID_RELEASED,
  EVENT_ID_RESERVED,
  exactExpectation,
  expectationHolds,
  fromEsdbCurrent,
  fromEsdbExpected,
  indexStreamOf,
  isLedgerEvent,
  isUuid,
  LEDGER_STREAMS_REGEX,
  ledgerStreamsFilter,
  normalizeEventId,
  releaseEvent,
  repeatedIds,
  reservationEvent,
  revisionsAfter,
  slotContent,
  toEventData,
  toIndexEntry,
  toLogPosition,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  type EsdbEvent,
  type IndexEntry,
} from './esdb-mapping';

const id = '6F1D3C2A-9B8E-4D7C-A1B2-C3D4E5F60718';
const at = (commit: bigint, prepare = commit) => ({ commit, prepare });

/** What the client hands back for a stored event, minus what we do not read. */
function stored(overrides: Partial<EsdbEvent> = {}): EsdbEvent {
  return {
    streamId: 'subject-1',
    id: id.toLowerCase(),
    revision: 3n,
    type: 'Happened',
    isJson: false,
    data: new Uint8Array([0, 255, 1]),
    created: new Date(0),
    position: at(100n, 90n),
    ...overrides,
  };
}

describe('event ids and the index streams', () => {
  it('compares ids as EventStoreDB gives them back: lowercased', () => {
    expect(normalizeEventId(id)).toBe(id.toLowerCase());
    expect(indexStreamOf(id)).toBe(`ledger-eventid-${id.toLowerCase()}`);
  });

  it('refuses an id that is not a UUID (EventStoreDB could not store it)', () => {
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(() => normalizeEventId('not-a-uuid')).toThrow(TypeError);
  });

  it('keeps the index out of system streams and out of the ledger streams', () => {
    expect(indexStreamOf(id).startsWith('$')).toBe(false);
    expect(() => assertLedgerStreamName(indexStreamOf(id))).toThrow(TypeError);
    expect(() => assertLedgerStreamName('$settings')).toThrow(TypeError);
    expect(() => assertLedgerStreamName('')).toThrow(TypeError);
    expect(() => assertLedgerStreamName('subject-1')).not.toThrow();
  });

  it('reports each id given twice once, whatever its case', () => {
    const other = randomUUID();
    expect(repeatedIds([id, other, id.toLowerCase(), id])).toEqual([id.toLowerCase(), id]);
    expect(repeatedIds([id, other])).toEqual([]);
  });
});

describe('what $all readers see', () => {
  it.each([
    ['subject-1', 'Happened', true],
    ['$stats-127.0.0.1:2113', 'Happened', false],
    ['$$subject-1', '$metadata', false],
    ['subject-1', '$>', false],
    [`ledger-eventid-${randomUUID()}`, EVENT_ID_RESERVED, false],
  ])('stream %s, type %s: %s', (streamId, type, seen) => {
    expect(isLedgerEvent({ streamId, type })).toBe(seen);
  });

  it('asks the server for the same streams (lookahead reads alike in .NET and JS)', () => {
    const regex = new RegExp(LEDGER_STREAMS_REGEX);
    expect(regex.test('subject-1')).toBe(true);
    expect(regex.test('$ce-subject')).toBe(false);
    expect(regex.test(indexStreamOf(id))).toBe(false);
    expect(regex.test('ledger-other')).toBe(true);
    expect(ledgerStreamsFilter()).toMatchObject({
      filterOn: 'streamName',
      regex: LEDGER_STREAMS_REGEX,
    });
  });
});

describe('revisions', () => {
  it.each([
    ['any', undefined, true],
    ['any', 4n, true],
    ['no_stream', undefined, true],
    ['no_stream', 0n, false],
    [0n, undefined, false],
    [3n, 3n, true],
    [3n, 4n, false],
  ] as const)('expected %s, current %s: holds %s', (expected, current, holds) => {
    expect(expectationHolds(expected, current)).toBe(holds);
  });

  it('turns a stream just read into an exact expectation, never ANY', () => {
    expect(exactExpectation(undefined)).toBe(NO_STREAM);
    expect(exactExpectation(7n)).toBe(7n);
  });

  it('numbers the events of an append after the current revision', () => {
    expect(revisionsAfter(undefined, 3)).toEqual([0n, 1n, 2n]);
    expect(revisionsAfter(4n, 2)).toEqual([5n, 6n]);
  });

  it('reads the server rendering of revisions back into ours', () => {
    expect(fromEsdbCurrent(NO_STREAM)).toBeUndefined();
    expect(fromEsdbCurrent(-1n)).toBeUndefined();
    expect(fromEsdbCurrent(5n)).toBe(5n);
    expect(fromEsdbExpected(NO_STREAM)).toBe('no_stream');
    expect(fromEsdbExpected(-1n)).toBe('no_stream');
    expect(fromEsdbExpected('stream_exists')).toBe('any');
    expect(fromEsdbExpected(2n)).toBe(2n);
  });
});

describe('positions', () => {
  it('maps commit and prepare both ways', () => {
    expect(toLogPosition(at(10n, 8n))).toEqual(at(10n, 8n));
    expect(toReadPosition(at(10n, 8n))).toEqual(at(10n, 8n));
  });

  it('starts from the beginning when there is no checkpoint', () => {
    expect(toReadPosition(undefined)).toBe(START);
  });
});

describe('events', () => {
  it('stores our events as binary, under our id, with the bytes as given', () => {
    const data = new Uint8Array([0, 255, 1, 254, 10, 13]);
    const event = toEventData({ eventId: id, type: 'Binary', data });
    expect(event).toMatchObject({
      id: id.toLowerCase(),
      type: 'Binary',
      contentType: 'application/octet-stream',
    });
    expect(Buffer.from(event.data as Uint8Array).equals(Buffer.from(data))).toBe(true);
  });

  it('reads a stored event back as ours, bytes exactly', () => {
    const recorded = toRecordedEvent(stored());
    expect(recorded).toEqual({
      eventId: id.toLowerCase(),
      type: 'Happened',
      data: new Uint8Array([0, 255, 1]),
      streamName: 'subject-1',
      revision: 3n,
      position: at(100n, 90n),
    });
  });

  it('re-serializes a JSON event written by another tool', () => {
    const recorded = toRecordedEvent(stored({ isJson: true, data: { n: 1 } }));
    expect(new TextDecoder().decode(recorded.data)).toBe('{"n":1}');
  });

  it('needs the position a server from 22.6 on reports', () => {
    expect(() => toRecordedEvent(stored({ position: undefined }))).toThrow(/22\.6/);
  });

  it('answers an append from the events as stored', () => {
    const events = [
      toRecordedEvent(stored({ revision: 0n })),
      toRecordedEvent(stored({ revision: 1n, position: at(200n) })),
    ];
    expect(appendResultOf('subject-1', events)).toEqual({
      streamName: 'subject-1',
      nextExpectedRevision: 1n,
      positions: [at(100n, 90n), at(200n)],
    });
  });
});

describe('errors', () => {
  it("turns the client's WrongExpectedVersionError into a ConcurrencyError", () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'subject-1',
      expected: 0n,
      current: 1n,
    });
    const mapped = toStoreError(error);
    expect(mapped).toBeInstanceOf(ConcurrencyError);
    expect(mapped).toMatchObject({ streamName: 'subject-1', expected: 0n, actual: 1n });
  });

  it('reports the expectation we sent and "no stream" as undefined', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'subject-1',
      expected: 4n,
      current: NO_STREAM,
    });
    expect(toStoreError(error, { expected: 'no_stream' })).toMatchObject({
      expected: 'no_stream',
      actual: undefined,
    });
  });

  it('reads a wrong expected version that arrives as a gRPC error', () => {
    const metadata = {
      exception: 'wrong-expected-version',
      'stream-name': 'subject-1',
      'expected-version': '-1',
      'actual-version': '3',
    };
    const grpcError = Object.assign(new Error('9 FAILED_PRECONDITION'), {
      code: 9,
      details: 'wrong expected version',
      metadata: { getMap: () => metadata },
    });
    const mapped = toStoreError(convertToCommandError(grpcError));
    expect(mapped).toBeInstanceOf(ConcurrencyError);
    expect(mapped).toMatchObject({ streamName: 'subject-1', expected: 'no_stream', actual: 3n });
  });

  it.each([
    ['unavailable', new UnavailableError()],
    ['deadline exceeded', new DeadlineExceededError()],
    ['no node found', new Error('Failed to discover after 10 attempts.')],
  ])('turns %s into StoreUnavailableError, keeping the cause', (_, error) => {
    const mapped = toStoreError(error);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as Error).cause).toBe(error);
  });

  it('leaves our own errors and bugs as they are', () => {
    const ours = new DuplicateEventIdError([id]);
    const bug = new TypeError('x is undefined');
    expect(toStoreError(ours)).toBe(ours);
    expect(toStoreError(bug)).toBe(bug);
  });
});

describe('event-id reservations', () => {
  const slot = { streamName: 'subject-1', revision: 5n };
  const graceMs = 60_000;
  const writtenAt = new Date(1_000_000);
  const reserved: IndexEntry = {
    reservation: { kind: 'reserved', slot },
    indexRevision: 0n,
    writtenAt,
  };
  const now = writtenAt.getTime() + 1_000;

  it('writes an entry the index reads back', () => {
    const event = reservationEvent(slot);
    const entry = toIndexEntry(
      stored({
        streamId: indexStreamOf(id),
        type: event.type,
        isJson: true,
        data: event.data,
        revision: 2n,
        created: writtenAt,
      }),
    );
    expect(entry).toEqual({
      reservation: { kind: 'reserved', slot },
      indexRevision: 2n,
      writtenAt,
    });
    expect(
      toIndexEntry(stored({ type: releaseEvent().type, isJson: true, data: {} })).reservation,
    ).toEqual({
      kind: 'released',
    });
    expect(releaseEvent().type).toBe(EVENT_ID_RELEASED);
  });

  it('refuses an index entry it cannot read', () => {
    expect(() =>
      toIndexEntry(stored({ type: EVENT_ID_RESERVED, isJson: true, data: { streamName: 1 } })),
    ).toThrow(/unreadable/);
  });

  it('tells what the slot holds', () => {
    expect(slotContent(id, undefined)).toBe('empty');
    expect(slotContent(id, id.toLowerCase())).toBe('this-event');
    expect(slotContent(id, randomUUID())).toBe('other-event');
  });

  it('reserves a fresh id with NO_STREAM', () => {
    expect(decideClaim(undefined, 'empty', slot, now, graceMs)).toEqual({
      action: 'reserve',
      expectedIndexRevision: NO_STREAM,
    });
  });

  it('refuses an id whose slot holds it: a duplicate', () => {
    expect(
      decideClaim(reserved, 'this-event', { ...slot, streamName: 'other' }, now, graceMs),
    ).toEqual({
      action: 'duplicate',
    });
  });

  it('takes over a reservation whose slot another event filled', () => {
    expect(decideClaim(reserved, 'other-event', slot, now, graceMs)).toEqual({
      action: 'reserve',
      expectedIndexRevision: 0n,
    });
  });

  it('takes over a released reservation at once', () => {
    const released: IndexEntry = {
      ...reserved,
      reservation: { kind: 'released' },
      indexRevision: 1n,
    };
    expect(decideClaim(released, 'empty', { ...slot, streamName: 'other' }, now, graceMs)).toEqual({
      action: 'reserve',
      expectedIndexRevision: 1n,
    });
  });

  it('adopts an empty reservation of the very slot it wants (a retry after a crash)', () => {
    expect(decideClaim(reserved, 'empty', slot, now, graceMs)).toEqual({ action: 'adopt' });
  });

  it('waits on an empty reservation elsewhere until the grace has passed', () => {
    const elsewhere = { streamName: 'subject-2', revision: 0n };
    expect(decideClaim(reserved, 'empty', elsewhere, now, graceMs)).toEqual({ action: 'wait' });
    expect(decideClaim(reserved, 'empty', elsewhere, now + graceMs, graceMs)).toEqual({
      action: 'reserve',
      expectedIndexRevision: 0n,
    });
  });
});
