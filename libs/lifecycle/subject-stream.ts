import {
  decodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../domain/events/ledger-event';
import { evolveSubject } from '../domain/subjects/evolve-subject';
import { initialSubjectState, type SubjectState } from '../domain/subjects/subject-state';
import type { EventStore, ExpectedRevision } from '../event-store';

/** A subject's stream as one decision reads it: its events, their fold, where to append. */
export interface SubjectStream {
  readonly streamName: string;
  readonly events: readonly LedgerEventV1[];
  readonly state: SubjectState;
  /** The revision the decision was made on: an append names it, a racing writer gets a 409. */
  readonly expectedRevision: ExpectedRevision;
}

export async function readSubjectStream(
  store: EventStore,
  pseudonym: string,
): Promise<SubjectStream> {
  const streamName = subjectStreamName(pseudonym);
  const recorded = await store.readStream(streamName);
  const events = recorded.map((e) => decodeLedgerEvent(e.data));
  return {
    streamName,
    events,
    state: events.reduce(evolveSubject, initialSubjectState(pseudonym)),
    expectedRevision: recorded.length === 0 ? 'no_stream' : recorded.at(-1)!.revision,
  };
}
