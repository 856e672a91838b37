import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import {
  decodeLedgerEvent,
  encodeLedgerEvent,
  subjectStreamName,
} from '../../../libs/domain/events/ledger-event';
import type { PublishedEvent } from '../../../libs/domain/events/published-event';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  formatPosition,
  type AppendRequest,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from '../../../libs/event-store';
import { classifyRetry } from './classify-retries';
import { PublishEventsCommand, type PublishedEventOutcome } from './publish-events.command';
import { EventIdReusedError } from './publish-events.errors';
import { protectEvents } from './protect-events';
import { requestDigest } from './request-digest';

export const REQUEST_DIGEST_KEY = Symbol('REQUEST_DIGEST_KEY');

/** Two publishers racing with the same new event id: the loser looks again and sees a retry. */
const ATTEMPTS = 3;

@CommandHandler(PublishEventsCommand)
export class PublishEventsHandler implements ICommandHandler<PublishEventsCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REQUEST_DIGEST_KEY) private readonly digestKey: Buffer,
  ) {}

  async execute({ events }: PublishEventsCommand): Promise<PublishedEventOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publish(events);
      } catch (error) {
        if (!(error instanceof DuplicateEventIdError) || attempt === ATTEMPTS) throw error;
      }
    }
  }

  private async publish(events: readonly PublishedEvent[]): Promise<PublishedEventOutcome[]> {
    const digests = events.map((event) => requestDigest(this.digestKey, event));
    const stored = await this.store.findByEventIds(events.map((e) => e.eventId));
    const classified = events.map((event, i) =>
      classifyRetry(digests[i], storedDigest(stored.get(event.eventId))),
    );

    const conflicts = events
      .filter((_, i) => classified[i].kind === 'conflict')
      .map((e) => e.eventId);
    if (conflicts.length > 0) throw new EventIdReusedError(conflicts);

    const fresh = events.flatMap((event, i) =>
      classified[i].kind === 'new' ? [{ event, digest: digests[i] }] : [],
    );
    const protectedEvents = await protectEvents(
      this.vault,
      fresh.map((f) => f.event),
      { recordedAt: this.clock.now().toISOString(), digests: fresh.map((f) => f.digest) },
    );

    const requests = groupByStream(
      protectedEvents.map((event) => ({
        streamName: subjectStreamName(event.subject!),
        event: { eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) },
      })),
    );
    const results = requests.length > 0 ? await this.store.appendMany(requests) : [];
    const positions = new Map<string, string>();
    results.forEach((result, r) =>
      requests[r].events.forEach((event, e) =>
        positions.set(event.eventId, formatPosition(result.positions[e])),
      ),
    );

    return events.map((event, i) => {
      const outcome = classified[i];
      return outcome.kind === 'duplicate'
        ? { eventId: event.eventId, position: formatPosition(outcome.position), duplicate: true }
        : { eventId: event.eventId, position: positions.get(event.eventId)!, duplicate: false };
    });
  }
}

function storedDigest(event: RecordedEvent | undefined) {
  return event && { digest: decodeLedgerEvent(event.data).digest, position: event.position };
}

/** Consecutive events of one subject share an append; the log keeps the publisher's order. */
function groupByStream(
  items: Array<{ streamName: string; event: EventToAppend }>,
): AppendRequest[] {
  const requests: Array<{ streamName: string; expectedRevision: 'any'; events: EventToAppend[] }> =
    [];
  for (const { streamName, event } of items) {
    const last = requests.at(-1);
    if (last?.streamName === streamName) last.events.push(event);
    else requests.push({ streamName, expectedRevision: 'any', events: [event] });
  }
  return requests;
}
