import type {
  ContactMadeData,
  EventDataByType,
  PostMortemDirectiveRecordedData,
} from '../events/event-catalogue';
import { isPlatformEventType } from '../events/event-catalogue';
import type { LedgerEventV1 } from '../events/ledger-event';
import type { LedgerWrittenDataByType } from '../events/ledger-written-events';
import { isLedgerWrittenEventType } from '../events/ledger-written-events';

/**
 * `data` as stored: the ids of other persons became their pseudonyms under new names
 * (`counterpartId` -> `counterpart`), so the log never holds a platform id.
 */
export interface StoredPlatformDataByType extends Omit<
  EventDataByType,
  'ContactMade' | 'PostMortemDirectiveRecorded'
> {
  ContactMade: Omit<ContactMadeData, 'counterpartId'> & { readonly counterpart?: string };
  PostMortemDirectiveRecorded: Omit<PostMortemDirectiveRecordedData, 'beneficiaryId'> & {
    readonly beneficiary?: string;
  };
}

/** Every type a subject's stream holds that its state folds. */
export interface SubjectStreamDataByType
  extends StoredPlatformDataByType, LedgerWrittenDataByType {}
export type SubjectStreamEventType = keyof SubjectStreamDataByType;

/** A stored event of a known type, its `data` narrowed by `switch (event.type)`. */
export type SubjectStreamEvent = {
  [T in SubjectStreamEventType]: Omit<LedgerEventV1, 'type' | 'data'> & {
    readonly type: T;
    readonly data: SubjectStreamDataByType[T];
  };
}[SubjectStreamEventType];

/** The stored event as its type's shape, or `undefined` for a type the state ignores. */
export function asSubjectStreamEvent(event: LedgerEventV1): SubjectStreamEvent | undefined {
  return isPlatformEventType(event.type) || isLedgerWrittenEventType(event.type)
    ? (event as SubjectStreamEvent)
    : undefined;
}
