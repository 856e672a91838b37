import { AppendNotifier } from '../append-notifier';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  LogPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamRevision,
  StreamEventText,
  StreamsByNameOptions,
  StreamText,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { positionOf } from '../log-position';
import { pollingSubscription } from '../polling-subscription';
import { asText, streamTextOf } from '../stream-text';

/** The whole log in arrays: for unit tests and simulations. Same contract as the others. */
export class MemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byEventId = new Map<string, RecordedEvent>();
  private readonly notifier = new AppendNotifier();

  async appendToStream(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result;
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    // Check everything first, so that a refused batch leaves no trace (all or nothing).
    const seenInBatch = new Set<string>();
    const duplicates: string[] = [];
    const lengthAfter = new Map<string, number>();
    for (const request of requests) {
      const length =
        lengthAfter.get(request.streamName) ?? this.streams.get(request.streamName)?.length ?? 0;
      checkExpected(request, length);
      lengthAfter.set(request.streamName, length + request.events.length);
      for (const { eventId } of request.events) {
        if (this.byEventId.has(eventId) || seenInBatch.has(eventId)) duplicates.push(eventId);
        seenInBatch.add(eventId);
      }
    }
    if (duplicates.length > 0) throw new DuplicateEventIdError(duplicates);

    const results = requests.map((request) => this.write(request));
    this.notifier.notify();
    return results;
  }

  private write(request: AppendRequest): AppendResult {
    const stream = this.streams.get(request.streamName) ?? [];
    this.streams.set(request.streamName, stream);
    const positions = request.events.map((event) => {
      const recorded: RecordedEvent = {
        eventId: event.eventId,
        type: event.type,
        data: Uint8Array.from(event.data),
        streamName: request.streamName,
        revision: BigInt(stream.length),
        position: positionOf(BigInt(this.log.length + 1)),
      };
      stream.push(recorded);
      this.log.push(recorded);
      this.byEventId.set(recorded.eventId, recorded);
      return recorded.position;
    });
    return {
      streamName: request.streamName,
      nextExpectedRevision: BigInt(stream.length - 1),
      positions,
    };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Number(options.fromRevision ?? 0n);
    const stream = this.streams.get(streamName) ?? [];
    return stream.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount);
  }

  async readStreamText(streamName: string): Promise<StreamText> {
    return streamTextOf(await this.readStream(streamName));
  }

  async streamRevision(streamName: string): Promise<StreamRevision | undefined> {
    const length = this.streams.get(streamName)?.length;
    return length ? BigInt(length - 1) : undefined;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const start = options.after ? Number(options.after.commit) : 0;
    return this.log.slice(start, start + options.maxCount);
  }

  async findByEventIds(eventIds: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const found = new Map<string, RecordedEvent>();
    for (const id of eventIds) {
      const event = this.byEventId.get(id);
      if (event) found.set(id, event);
    }
    return found;
  }

  async headPosition(): Promise<LogPosition | undefined> {
    return this.log.at(-1)?.position;
  }

  async readStreamsByName(options: StreamsByNameOptions): Promise<StreamEventText[]> {
    const { prefix, after, upTo, maxCount } = options;
    const names = [...this.streams.keys()]
      .filter(
        (name) => name.startsWith(prefix) && (after === undefined || name >= after.streamName),
      )
      .sort(compareCodeUnits);
    const events: StreamEventText[] = [];
    for (const name of names) {
      for (const event of this.streams.get(name)!) {
        if (event.position.commit > upTo.commit) continue;
        if (after && name === after.streamName && event.revision <= after.revision) continue;
        events.push({ streamName: name, revision: event.revision, text: asText(event.data) });
        if (events.length === maxCount) return events;
      }
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription((o) => this.readAll(o), this.notifier, { after: options.after });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Plain `<` on strings: UTF-16 code units, as the stream names were compared when sorted. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkExpected(request: AppendRequest, length: number | undefined): void {
  const actual = length ? BigInt(length - 1) : undefined;
  const expected = request.expectedRevision;
  const holds =
    expected === 'any' || (expected === 'no_stream' ? actual === undefined : actual === expected);
  if (!holds) throw new ConcurrencyError(request.streamName, expected, actual);
}
