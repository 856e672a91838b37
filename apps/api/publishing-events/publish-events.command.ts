import { Command } from '@nestjs/cqrs';
import type { PublishedEvent } from '../../../libs/domain/events/published-event';

export interface PublishedEventOutcome {
  readonly eventId: string;
  /** Where the event stands in the log (opaque, ordered: `commit/prepare`). */
  readonly position: string;
  /** True when this event id was already stored with the same body. */
  readonly duplicate: boolean;
}

/** Validated events, in the order the publisher sent them; all stored or none. */
export class PublishEventsCommand extends Command<PublishedEventOutcome[]> {
  constructor(readonly events: readonly PublishedEvent[]) {
    super();
  }
}
