import { randomUUID } from 'node:crypto';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  RecordedEvent,
  StreamEventText,
} from '../event-store.port';
import { comparePositions } from '../log-position';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /** Closes the store and removes what it wrote. */
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** False where the backend has no multi-stream transaction (EventStoreDB). */
  readonly atomicAcrossStreams: boolean;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

export function anEvent(type = 'Happened', body = '{"n":1}'): EventToAppend {
  return { eventId: randomUUID(), type, data: bytes(body) };
}

/** Unique per test run, so that a shared server (EventStoreDB) needs no cleaning. */
export function aStream(prefix = 'subject'): string {
  return `${prefix}-${randomUUID().replace(/-/g, '')}`;
}

/** The first `count` events of one stream; a shared server may carry other tests' writes. */
async function take(subscription: AsyncIterable<RecordedEvent>, stream: string, count: number) {
  const seen: RecordedEvent[] = [];
  for await (const event of subscription) {
    if (event.streamName !== stream) continue;
    seen.push(event);
    if (seen.length === count) break;
  }
  return seen;
}

/**
 * The same given/when/then cases for every adapter: what the port promises, checked
 * against each implementation of it.
 */
export function testEventStore(
  name: string,
  open: () => Promise<EventStoreUnderTest>,
  options: ContractOptions,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => subject.dispose());

    describe('appending to one stream', () => {
      it('starts a new stream at revision 0 and returns increasing positions', async () => {
        const stream = aStream();
        const result = await store.appendToStream({
          streamName: stream,
          expectedRevision: 'no_stream',
          events: [anEvent(), anEvent()],
        });
        expect(result.nextExpectedRevision).toBe(1n);
        expect(result.positions).toHaveLength(2);
        expect(comparePositions(result.positions[0], result.positions[1])).toBeLessThan(0);
        expect(await store.streamRevision(stream)).toBe(1n);
      });

      it('keeps the bytes exactly as given', async () => {
        const stream = aStream();
        const data = new Uint8Array([0, 255, 1, 254, 10, 13]);
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'any',
          events: [{ eventId: randomUUID(), type: 'Binary', data }],
        });
        const [read] = await store.readStream(stream);
        expect(Buffer.from(read.data).equals(Buffer.from(data))).toBe(true);
        expect(read.type).toBe('Binary');
        expect(read.revision).toBe(0n);
      });

      it('appends at the exact expected revision', async () => {
        const stream = aStream();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'no_stream',
          events: [anEvent()],
        });
        const result = await store.appendToStream({
          streamName: stream,
          expectedRevision: 0n,
          events: [anEvent()],
        });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('rejects a wrong expected revision with ConcurrencyError and stores nothing', async () => {
        const stream = aStream();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'no_stream',
          events: [anEvent()],
        });
        const rejected = anEvent();
        const attempt = store.appendToStream({
          streamName: stream,
          expectedRevision: 5n,
          events: [rejected],
        });
        await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(attempt).rejects.toMatchObject({ streamName: stream, actual: 0n });
        expect((await store.findByEventIds([rejected.eventId])).size).toBe(0);
        expect(await store.streamRevision(stream)).toBe(0n);
      });

      it('rejects no_stream on an existing stream', async () => {
        const stream = aStream();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'any',
          events: [anEvent()],
        });
        await expect(
          store.appendToStream({
            streamName: stream,
            expectedRevision: 'no_stream',
            events: [anEvent()],
          }),
        ).rejects.toBeInstanceOf(ConcurrencyError);
      });

      it('rejects an exact revision on a stream that does not exist', async () => {
        await expect(
          store.appendToStream({
            streamName: aStream(),
            expectedRevision: 0n,
            events: [anEvent()],
          }),
        ).rejects.toBeInstanceOf(ConcurrencyError);
      });

      it('lets exactly one of two racing writers win a revision; the retry succeeds', async () => {
        const stream = aStream();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'no_stream',
          events: [anEvent()],
        });
        const outcomes = await Promise.allSettled([
          store.appendToStream({
            streamName: stream,
            expectedRevision: 0n,
            events: [anEvent('A')],
          }),
          store.appendToStream({
            streamName: stream,
            expectedRevision: 0n,
            events: [anEvent('B')],
          }),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(ConcurrencyError);

        const revision = await store.streamRevision(stream);
        expect(revision).toBe(1n);
        await store.appendToStream({
          streamName: stream,
          expectedRevision: revision!,
          events: [anEvent('C')],
        });
        expect((await store.readStream(stream)).map((e) => e.type).slice(2)).toEqual(['C']);
      });
    });

    it('answers each of many appends made at once with its own outcome', async () => {
      const streams = Array.from({ length: 20 }, () => aStream());
      const refused = streams[7];
      const outcomes = await Promise.allSettled(
        streams.map((stream) =>
          store.appendToStream({
            streamName: stream,
            // A stream that does not exist has no revision 3.
            expectedRevision: stream === refused ? 3n : 'no_stream',
            events: [anEvent(stream)],
          }),
        ),
      );
      outcomes.forEach((outcome, i) => {
        if (streams[i] === refused) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        } else {
          expect(outcome).toMatchObject({
            status: 'fulfilled',
            value: { streamName: streams[i], nextExpectedRevision: 0n },
          });
        }
      });
      for (const [i, stream] of streams.entries()) {
        const read = await store.readStream(stream);
        expect(read.map((e) => e.type)).toEqual(i === 7 ? [] : [stream]);
        if (i !== 7) {
          const { value } = outcomes[i] as PromiseFulfilledResult<AppendResult>;
          expect(value.positions).toEqual([read[0].position]);
        }
      }
    });

    describe('reading a stream as text', () => {
      it("gives each payload as UTF-8 text in revision order, and the last event's position", async () => {
        const stream = aStream();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'no_stream',
          events: [anEvent('A', '{"n":1}'), anEvent('B', '{"name":"Zoé"}')],
        });
        const recorded = await store.readStream(stream);
        const read = await store.readStreamText(stream);
        expect(read.payloads).toEqual(['{"n":1}', '{"name":"Zoé"}']);
        expect(read.payloads).toEqual(recorded.map((e) => text(e.data)));
        expect(read.lastPosition).toEqual(recorded[1].position);
      });

      it('gives no payload and no position for a stream that does not exist', async () => {
        expect(await store.readStreamText(aStream())).toEqual({
          payloads: [],
          lastPosition: undefined,
        });
      });
    });

    describe('idempotency by event id', () => {
      it('refuses an event id already stored, even in another stream, and stores nothing', async () => {
        const first = anEvent();
        await store.appendToStream({
          streamName: aStream(),
          expectedRevision: 'any',
          events: [first],
        });
        const other = aStream();
        const fresh = anEvent();
        const attempt = store.appendToStream({
          streamName: other,
          expectedRevision: 'any',
          events: [fresh, { ...first, data: bytes('different') }],
        });
        await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
        await expect(attempt).rejects.toMatchObject({ eventIds: [first.eventId] });
        expect(await store.readStream(other)).toEqual([]);
        expect((await store.findByEventIds([fresh.eventId])).size).toBe(0);
      });

      it('refuses an event id already stored in the same stream', async () => {
        const stream = aStream();
        const first = anEvent();
        await store.appendToStream({
          streamName: stream,
          expectedRevision: 'any',
          events: [first],
        });
        const attempt = store.appendToStream({
          streamName: stream,
          expectedRevision: 'any',
          events: [anEvent(), first],
        });
        await expect(attempt).rejects.toMatchObject({ eventIds: [first.eventId] });
        expect(await store.streamRevision(stream)).toBe(0n);
      });

      it('refuses the same event id twice in one append', async () => {
        const event = anEvent();
        await expect(
          store.appendToStream({
            streamName: aStream(),
            expectedRevision: 'any',
            events: [event, event],
          }),
        ).rejects.toBeInstanceOf(DuplicateEventIdError);
      });

      it('finds stored events by id', async () => {
        const stream = aStream();
        const [a, b] = [anEvent('A'), anEvent('B')];
        await store.appendToStream({ streamName: stream, expectedRevision: 'any', events: [a, b] });
        const found = await store.findByEventIds([b.eventId, randomUUID(), a.eventId]);
        expect([...found.keys()].sort()).toEqual([a.eventId, b.eventId].sort());
        expect(found.get(b.eventId)).toMatchObject({ streamName: stream, revision: 1n, type: 'B' });
      });
    });

    describe('appending to several streams', () => {
      it('appends to each stream', async () => {
        const [s1, s2] = [aStream(), aStream()];
        const results = await store.appendMany([
          { streamName: s1, expectedRevision: 'no_stream', events: [anEvent()] },
          { streamName: s2, expectedRevision: 'no_stream', events: [anEvent(), anEvent()] },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 1n]);
        expect(await store.readStream(s2)).toHaveLength(2);
      });

      it('keeps the order given, a stream coming back later in the list', async () => {
        const [s1, s2] = [aStream(), aStream()];
        const [a, b, c] = [anEvent('A'), anEvent('B'), anEvent('C')];
        const results = await store.appendMany([
          { streamName: s1, expectedRevision: 'no_stream', events: [a] },
          { streamName: s2, expectedRevision: 'any', events: [b] },
          { streamName: s1, expectedRevision: 0n, events: [c] },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 0n, 1n]);
        const positions = results.flatMap((r) => r.positions);
        expect(comparePositions(positions[0], positions[1])).toBeLessThan(0);
        expect(comparePositions(positions[1], positions[2])).toBeLessThan(0);
        expect((await store.readStream(s1)).map((e) => e.type)).toEqual(['A', 'C']);
      });

      if (options.atomicAcrossStreams) {
        it('stores nothing of a batch when one stream conflicts', async () => {
          const [s1, s2] = [aStream(), aStream()];
          await store.appendToStream({
            streamName: s2,
            expectedRevision: 'any',
            events: [anEvent()],
          });
          await expect(
            store.appendMany([
              { streamName: s1, expectedRevision: 'no_stream', events: [anEvent()] },
              { streamName: s2, expectedRevision: 'no_stream', events: [anEvent()] },
            ]),
          ).rejects.toBeInstanceOf(ConcurrencyError);
          expect(await store.readStream(s1)).toEqual([]);
        });

        it('stores nothing of a batch when one event id is known', async () => {
          const known = anEvent();
          await store.appendToStream({
            streamName: aStream(),
            expectedRevision: 'any',
            events: [known],
          });
          const s1 = aStream();
          await expect(
            store.appendMany([
              { streamName: s1, expectedRevision: 'any', events: [anEvent()] },
              { streamName: aStream(), expectedRevision: 'any', events: [known] },
            ]),
          ).rejects.toBeInstanceOf(DuplicateEventIdError);
          expect(await store.readStream(s1)).toEqual([]);
        });
      }
    });

    describe('reading', () => {
      it('reads a stream from a revision, at most maxCount', async () => {
        const stream = aStream();
        const events = [anEvent('A'), anEvent('B'), anEvent('C'), anEvent('D')];
        await store.appendToStream({ streamName: stream, expectedRevision: 'any', events });
        const read = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(read.map((e) => [e.type, e.revision])).toEqual([
          ['B', 1n],
          ['C', 2n],
        ]);
        expect(text(read[0].data)).toBe('{"n":1}');
      });

      it('reads nothing and no revision for a stream that does not exist', async () => {
        const stream = aStream();
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.streamRevision(stream)).toBeUndefined();
      });

      it('reads the global log in order, in batches, after a position', async () => {
        const before = await readEverything(store);
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const event = anEvent(`T${i}`);
          ids.push(event.eventId);
          await store.appendToStream({
            streamName: aStream(),
            expectedRevision: 'any',
            events: [event],
          });
        }
        const after = before.at(-1)?.position;
        const seen: RecordedEvent[] = [];
        let cursor = after;
        for (;;) {
          const batch = await store.readAll({ after: cursor, maxCount: 3 });
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(3);
          seen.push(...batch);
          cursor = batch[batch.length - 1].position;
        }
        const ours = seen.filter((e) => ids.includes(e.eventId)).map((e) => e.eventId);
        expect(ours).toEqual(ids);
        for (let i = 1; i < seen.length; i++) {
          expect(comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
        }
      });
    });

    describe('reading streams by name, up to a position (where offered)', () => {
      it('gives every stream of a prefix, in name then revision order, in batches', async () => {
        if (!store.readStreamsByName || !store.headPosition) return;
        const tag = randomUUID().replace(/-/g, '').slice(0, 12);
        const [a, b, c] = [`${tag}-a`, `${tag}-b`, `${tag}-c`];
        // Each payload names its event, so the text read back can be told apart.
        const payload = (name: string) => JSON.stringify({ event: name });
        const named = (name: string) => anEvent(name, payload(name));
        // Interleaved in the log, and another prefix beside them.
        await store.appendToStream({
          streamName: b,
          expectedRevision: 'any',
          events: [named('b0')],
        });
        await store.appendToStream({
          streamName: a,
          expectedRevision: 'any',
          events: [named('a0')],
        });
        await store.appendToStream({
          streamName: `x${tag}`,
          expectedRevision: 'any',
          events: [named('x0')],
        });
        await store.appendToStream({
          streamName: b,
          expectedRevision: 'any',
          events: [named('b1'), named('b2')],
        });
        await store.appendToStream({
          streamName: a,
          expectedRevision: 'any',
          events: [named('a1')],
        });
        const head = (await store.headPosition())!;
        // Past the head: neither a later event of a listed stream nor a new stream.
        await store.appendToStream({
          streamName: a,
          expectedRevision: 'any',
          events: [named('a2')],
        });
        await store.appendToStream({
          streamName: c,
          expectedRevision: 'any',
          events: [named('c0')],
        });
        expect(comparePositions((await store.headPosition())!, head)).toBeGreaterThan(0);

        const seen: StreamEventText[] = [];
        let after: { streamName: string; revision: bigint } | undefined;
        for (;;) {
          const batch = await store.readStreamsByName({
            prefix: `${tag}-`,
            after,
            upTo: head,
            maxCount: 2,
          });
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(2);
          seen.push(...batch);
          after = batch.at(-1)!;
        }
        expect(seen.map((e) => e.text)).toEqual(['a0', 'a1', 'b0', 'b1', 'b2'].map(payload));
        expect(seen.map((e) => e.streamName)).toEqual([a, a, b, b, b]);
        expect(seen.map((e) => e.revision)).toEqual([0n, 1n, 0n, 1n, 2n]);
      });

      it('has no head for an empty log', async () => {
        if (!store.headPosition) return;
        const head = await store.headPosition();
        if (head !== undefined) return; // a shared store already holds events
        expect(
          await store.readStreamsByName!({
            prefix: '',
            upTo: { commit: 0n, prepare: 0n },
            maxCount: 10,
          }),
        ).toEqual([]);
      });
    });

    describe('subscribing to the whole log', () => {
      it('catches up, then goes live, in order, never before the checkpoint', async () => {
        const existing = await readEverything(store);
        const checkpoint = existing.at(-1)?.position;
        const stream = aStream();
        const [a, b, c] = [anEvent('A'), anEvent('B'), anEvent('C')];
        await store.appendToStream({ streamName: stream, expectedRevision: 'any', events: [a, b] });

        const subscription = store.subscribeToAll({ after: checkpoint });
        const received = take(subscription, stream, 3);
        await store.appendToStream({ streamName: stream, expectedRevision: 1n, events: [c] });
        const events = await received;
        await subscription.stop();

        expect(events.map((e) => e.eventId)).toEqual([a.eventId, b.eventId, c.eventId]);
      });

      it('resumes after a checkpoint without repeating or skipping', async () => {
        const stream = aStream();
        const events = [anEvent('A'), anEvent('B'), anEvent('C')];
        await store.appendToStream({ streamName: stream, expectedRevision: 'any', events });
        const [a] = await store.readStream(stream, { maxCount: 1 });

        const subscription = store.subscribeToAll({ after: a.position });
        const resumed = await take(subscription, stream, 2);
        await subscription.stop();
        expect(resumed.map((e) => e.eventId)).toEqual([events[1].eventId, events[2].eventId]);
      });

      it('ends the iteration when stopped', async () => {
        const head = (await readEverything(store)).at(-1)?.position;
        const subscription = store.subscribeToAll({ after: head });
        const done = (async () => {
          const seen: RecordedEvent[] = [];
          for await (const event of subscription) seen.push(event);
          return seen;
        })();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subscription.stop();
        expect(await done).toEqual([]);
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ after: all.at(-1)?.position, maxCount: 500 });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
