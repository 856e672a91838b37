import type { EventDataByType, PlatformEventType } from './event-catalogue';

/**
 * Per category of the policy (`identification`, `professional`...), the personal values
 * themselves. Kept apart from `data` so that it can be sealed, shown to the roles allowed
 * to see it, and shredded with its record's key.
 */
export type PersonalData = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** An event a platform service published, as accepted at the ledger's door. */
export interface PublishedEvent<T extends PlatformEventType = PlatformEventType> {
  /** UUID; the publisher's idempotency key. */
  readonly eventId: string;
  readonly type: T;
  /** The platform's own id for the person: never written to stream names or read models. */
  readonly subjectId: string;
  /** When it happened on the platform, normalized: `new Date(x).toISOString()`. */
  readonly occurredAt: string;
  readonly source: string;
  readonly data: EventDataByType[T];
  readonly personalData?: PersonalData;
}

/** The discriminated union: `switch (event.type)` narrows `data`. */
export type AnyPublishedEvent = { [T in PlatformEventType]: PublishedEvent<T> }[PlatformEventType];
