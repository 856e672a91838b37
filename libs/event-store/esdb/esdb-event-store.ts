/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client`), for deployments that
 * outgrow one machine.
 *
 * Appends always carry an exact expected revision. Our `'any'` reads the stream's revision
 * first and appends at exactly that (or NO_STREAM), retrying a few times when a concurrent
 * writer got there first. The server's ANY is never used: its event-id deduplication is an
 * in-memory window, and our publishers are promised idempotency forever.
 *
 * Event ids are unique forever through an index of one small stream per id,
 * `ledger-eventid-<uuid>` (no `$`: those are system streams), whose last entry is either
 * `EventIdReserved {streamName, revision}` (the slot the event goes to) or
 * `EventIdReleased` (written only by a writer that gave up before sending its append, so
 * its slot can never fill). An append, for each event:
 *   1. reads the index entry and the slot it names. The slot holds this id: a duplicate.
 *      No entry, a released entry, or a slot that holds another event (an append with an
 *      exact revision can never fill it now): the id is free.
 *   2. reserves its slot: NO_STREAM for a fresh id, or the entry's exact revision when it
 *      takes a stale one over, so of two writers claiming one id only one succeeds;
 *   3. appends to the target stream with the exact revision the slots were computed from.
 * A crash between 2 and 3 leaves a reservation whose slot stays empty. The retry resolves
 * it: if it wants the same slot (the usual case: the same request again) it adopts the
 * reservation and appends, and the stream's exact revision lets only one writer win should
 * the first still be in flight; otherwise it waits until the reservation is older than
 * `reservationGraceMs`, a time no append can outlast because a writer gives up before
 * sending an append once a third of it has passed. That compares the server's clock (the
 * entry's `created`) with ours: they must agree within a small part of the grace (NTP).
 * `findByEventIds` reads the same index and trusts it only when the slot holds the id.
 *
 * `appendMany` has no multi-stream transaction here: each stream is atomic on its own, and
 * a retry with the same event ids completes an interrupted batch (streams whose events are
 * all stored already are reported, not written again).
 *
 * `$all` readers (`readAll`, `subscribeToAll`) see neither system events nor the index.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  StreamNotFoundError,
  type ReadStreamOptions as EsdbReadStreamOptions,
} from '@eventstore/db-client';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  StoreUnavailableError,
} from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamRevision,
  StreamText,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { comparePositions } from '../log-position';
import { streamTextOf } from '../stream-text';
import {
  appendResultOf,
  assertLedgerStreamName,
  decideClaim,
  eventPosition,
  exactExpectation,
  expectationHolds,
  indexStreamOf,
  isLedgerEvent,
  isUuid,
  ledgerStreamsFilter,
  normalizeEventId,
  releaseEvent,
  repeatedIds,
  reservationEvent,
  revisionsAfter,
  slotContent,
  toEventData,
  toIndexEntry,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  type ClaimDecision,
  type EsdbEvent,
  type IndexEntry,
  type SlotContent,
} from './esdb-mapping';

export interface EsdbEventStoreOptions {
  /** Tries of an `'any'` append that loses its revision to a concurrent writer. */
  readonly maxAttempts?: number;
  /** Age after which a reservation whose slot is still empty may be taken over. */
  readonly reservationGraceMs?: number;
  /** Deadline of one append call; must stay well under half the grace. */
  readonly appendDeadlineMs?: number;
  readonly now?: () => number;
}

interface Inspection {
  readonly entry: IndexEntry | undefined;
  readonly content: SlotContent;
  readonly stored: EsdbEvent | undefined;
}

interface Reserved {
  readonly id: string;
  readonly indexRevision: bigint;
}

/** Another writer wrote an index entry between our read and our write: look again. */
class IndexRace extends Error {}

export class EsdbEventStore implements EventStore {
  private readonly maxAttempts: number;
  private readonly graceMs: number;
  private readonly appendDeadlineMs: number;
  private readonly now: () => number;
  private readonly subscriptions = new Set<Subscription>();

  static connect(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.graceMs = options.reservationGraceMs ?? 60_000;
    this.appendDeadlineMs = options.appendDeadlineMs ?? 10_000;
    this.now = options.now ?? Date.now;
    if (this.appendDeadlineMs * 3 > this.graceMs) {
      throw new Error('reservationGraceMs must be at least three append deadlines');
    }
  }

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result;
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    requests.forEach((r) => assertLedgerStreamName(r.streamName));
    const allIds = requests.flatMap((r) => r.events.map((e) => e.eventId));
    const repeated = repeatedIds(allIds);
    if (repeated.length > 0) throw new DuplicateEventIdError(repeated);
    if (requests.length === 1) return [await this.appendOne(requests[0])];

    // A retry of an interrupted batch: the streams it already wrote are reported, not
    // written again. Every stream written already: a plain duplicate, as in other stores.
    const stored = await this.findByEventIds(allIds);
    const done = requests.map(
      (r) =>
        r.events.length > 0 &&
        r.events.every((e) => stored.get(e.eventId)?.streamName === r.streamName),
    );
    const duplicates = requests
      .filter((_, i) => !done[i])
      .flatMap((r) => r.events.map((e) => e.eventId).filter((id) => stored.has(id)));
    if (duplicates.length > 0) throw new DuplicateEventIdError(duplicates);
    if (done.every(Boolean)) throw new DuplicateEventIdError(allIds);

    const results: AppendResult[] = [];
    for (const [i, request] of requests.entries()) {
      results.push(
        done[i]
          ? appendResultOf(
              request.streamName,
              request.events.map((e) => stored.get(e.eventId)!),
            )
          : await this.appendOne(request),
      );
    }
    return results;
  }

  private async appendOne(request: AppendRequest): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.streamRevision(request.streamName);
      if (!expectationHolds(request.expectedRevision, current)) {
        throw new ConcurrencyError(request.streamName, request.expectedRevision, current);
      }
      if (request.events.length === 0) {
        return {
          streamName: request.streamName,
          nextExpectedRevision: current ?? -1n,
          positions: [],
        };
      }
      try {
        return await this.claimAndAppend(request, current);
      } catch (error) {
        const lostRevision =
          request.expectedRevision === 'any' && error instanceof ConcurrencyError;
        const retry = attempt < this.maxAttempts && (lostRevision || error instanceof IndexRace);
        if (!retry) throw error instanceof IndexRace ? busy() : error;
        await jitter(attempt);
      }
    }
  }

  private async claimAndAppend(
    request: AppendRequest,
    current: StreamRevision | undefined,
  ): Promise<AppendResult> {
    const startedAt = this.now();
    const { streamName } = request;
    const revisions = revisionsAfter(current, request.events.length);
    const ids = request.events.map((e) => normalizeEventId(e.eventId));
    const inspections = await inChunks(ids, (id) => this.inspect(id));
    const decisions = inspections.map(({ entry, content }, i) =>
      decideClaim(entry, content, { streamName, revision: revisions[i] }, startedAt, this.graceMs),
    );
    const duplicates = request.events.filter((_, i) => decisions[i].action === 'duplicate');
    if (duplicates.length > 0) throw new DuplicateEventIdError(duplicates.map((e) => e.eventId));
    if (decisions.some((d) => d.action === 'wait')) throw busy();

    const reserved = await this.reserve(ids, decisions, streamName, revisions);
    // Never send an append late: others take an empty slot over once the grace is past.
    if (this.now() - startedAt > this.graceMs / 3) {
      await this.release(reserved);
      throw new StoreUnavailableError(
        'EventStoreDB: too slow to reserve event ids, nothing appended',
      );
    }
    const expected = exactExpectation(current);
    try {
      await this.client.appendToStream(streamName, request.events.map(toEventData), {
        expectedRevision: expected,
        deadline: this.appendDeadlineMs,
      });
    } catch (error) {
      const reported = request.expectedRevision === 'any' ? expected : request.expectedRevision;
      throw toStoreError(error, { streamName, expected: reported });
    }
    // Read back for each event's own position (the append answers with one).
    const written = await this.readStream(streamName, {
      fromRevision: revisions[0],
      maxCount: revisions.length,
    });
    if (written.length !== ids.length || written.some((e, i) => e.eventId !== ids[i])) {
      throw new Error(`EventStoreDB: ${streamName} does not hold what was just appended`);
    }
    return appendResultOf(streamName, written);
  }

  /** Writes the reservations decided; if one loses a race, releases the others. */
  private async reserve(
    ids: readonly string[],
    decisions: readonly ClaimDecision[],
    streamName: string,
    revisions: readonly bigint[],
  ): Promise<Reserved[]> {
    const writes = ids.flatMap((id, i) => {
      const decision = decisions[i];
      if (decision.action !== 'reserve') return [];
      const event = reservationEvent({ streamName, revision: revisions[i] });
      const options = { expectedRevision: decision.expectedIndexRevision };
      return [
        this.client
          .appendToStream(indexStreamOf(id), event, options)
          .then((r): Reserved => ({ id, indexRevision: r.nextExpectedRevision })),
      ];
    });
    const outcomes = await Promise.allSettled(writes);
    const reserved = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await this.release(reserved);
      const error = toStoreError(failed.reason);
      throw error instanceof ConcurrencyError ? new IndexRace() : error;
    }
    return reserved;
  }

  /** Best effort: a reservation left behind only goes stale later, it does no harm. */
  private async release(reserved: readonly Reserved[]): Promise<void> {
    await Promise.allSettled(
      reserved.map(({ id, indexRevision }) =>
        this.client.appendToStream(indexStreamOf(id), releaseEvent(), {
          expectedRevision: indexRevision,
        }),
      ),
    );
  }

  /** The id's index entry and what the slot it names holds now. */
  private async inspect(id: string): Promise<Inspection> {
    const last = await this.lastEvent(indexStreamOf(id));
    if (!last) return { entry: undefined, content: 'empty', stored: undefined };
    const entry = toIndexEntry(last);
    if (entry.reservation.kind === 'released')
      return { entry, content: 'empty', stored: undefined };
    const { slot } = entry.reservation;
    const [next] = await this.read(slot.streamName, { fromRevision: slot.revision, maxCount: 1 });
    const stored = next?.revision === slot.revision ? next : undefined;
    return { entry, content: slotContent(id, stored?.id), stored };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const { fromRevision, maxCount } = options;
    return (await this.read(streamName, { fromRevision, maxCount })).map(toRecordedEvent);
  }

  async readStreamText(streamName: string): Promise<StreamText> {
    return streamTextOf(await this.readStream(streamName));
  }

  async streamRevision(streamName: string): Promise<StreamRevision | undefined> {
    return (await this.lastEvent(streamName))?.revision;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    // Filtering happens here, so a page of raw events may yield fewer than asked for. A
    // read from a position includes the event at it, hence `+ 1` and the comparison.
    const pageSize = Math.max(options.maxCount, 100) + 1;
    const found: RecordedEvent[] = [];
    let cursor = options.after;
    for (;;) {
      const fromPosition = toReadPosition(cursor);
      const page = await this.collect(this.client.readAll({ fromPosition, maxCount: pageSize }));
      for (const event of page) {
        if (cursor && comparePositions(eventPosition(event), cursor) <= 0) continue;
        if (isLedgerEvent(event)) found.push(toRecordedEvent(event));
        if (found.length === options.maxCount) return found;
      }
      if (page.length < pageSize) return found;
      cursor = eventPosition(page[page.length - 1]);
    }
  }

  async findByEventIds(eventIds: readonly string[]): Promise<Map<string, RecordedEvent>> {
    // An id that is not a UUID can never have been stored: simply absent.
    const unique = [...new Set(eventIds)].filter(isUuid);
    const inspections = await inChunks(unique, (id) => this.inspect(normalizeEventId(id)));
    const found = new Map<string, RecordedEvent>();
    unique.forEach((id, i) => {
      const { content, stored } = inspections[i];
      if (content === 'this-event' && stored) found.set(id, toRecordedEvent(stored));
    });
    return found;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const { after } = options;
    // Exclusive: EventStoreDB delivers what comes after `fromPosition`.
    const source = this.client.subscribeToAll({
      fromPosition: toReadPosition(after),
      filter: ledgerStreamsFilter(),
    });
    let stopped = false;
    const open = this.subscriptions;
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => iterator,
      async stop() {
        if (stopped) return;
        stopped = true;
        open.delete(subscription);
        await source.unsubscribe().catch(() => undefined); // never connected: nothing to end
        source.destroy();
      },
    };
    async function* events(): AsyncGenerator<RecordedEvent> {
      try {
        for await (const { event } of source) {
          if (!event || !isLedgerEvent(event)) continue;
          const recorded = toRecordedEvent(event);
          if (after && comparePositions(recorded.position, after) <= 0) continue;
          yield recorded;
        }
      } catch (error) {
        if (stopped) return; // stop() destroys the stream, which ends the loop with an error
        throw toStoreError(error);
      } finally {
        await subscription.stop(); // a consumer that breaks out is done with the server too
      }
    }
    const iterator = events();
    open.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    // A stream nobody writes: "not found" is an answer, and an answer is all a ping needs.
    await this.read('ledger-ping', { maxCount: 1, deadline: 5_000 });
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async lastEvent(streamName: string): Promise<EsdbEvent | undefined> {
    const options = { direction: BACKWARDS, fromRevision: END, maxCount: 1 } as const;
    return (await this.read(streamName, options))[0];
  }

  /** The stream's events; [] when it does not exist. */
  private read(streamName: string, options: EsdbReadStreamOptions): Promise<EsdbEvent[]> {
    return this.collect(this.client.readStream(streamName, options));
  }

  private async collect(source: AsyncIterable<{ event?: EsdbEvent }>): Promise<EsdbEvent[]> {
    const events: EsdbEvent[] = [];
    try {
      for await (const { event } of source) if (event) events.push(event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error);
    }
    return events;
  }
}

/** Another writer holds one of the ids in flight: the caller may retry shortly. */
function busy(): StoreUnavailableError {
  return new StoreUnavailableError('EventStoreDB: an event id is being appended by another writer');
}

/** Spreads the retries of writers that lost the same revision. */
function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
}

/** Maps with a bounded number of reads in flight. */
async function inChunks<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 64) {
    results.push(...(await Promise.all(items.slice(i, i + 64).map(map))));
  }
  return results;
}
