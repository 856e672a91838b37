import fc from 'fast-check';
import { PLATFORM_EVENT_TYPES } from '../../events/event-catalogue';
import type { LedgerEventV1 } from '../../events/ledger-event';
import { LEDGER_WRITTEN_EVENT_TYPES } from '../../events/ledger-written-events';
import type { AnyPublishedEvent } from '../../events/published-event';
import { recordKeyOf } from '../../records/record-keys';
import type { SubjectStreamEventType } from '../subject-stream-event';
import { dataArbs, instantArb } from './event-data-arbitraries';
import { storedEvent, TEST_SUBJECT } from './stored-event';

export { dataArbs, idArb, instantArb, POLICY_VERSION, purposeArb } from './event-data-arbitraries';
export { storedEvent, TEST_SUBJECT } from './stored-event';

export const SUBJECT_STREAM_EVENT_TYPES: readonly SubjectStreamEventType[] = [
  ...PLATFORM_EVENT_TYPES,
  ...LEDGER_WRITTEN_EVENT_TYPES,
];

/** Categories of personal data a platform may send with each type (none: no record). */
const CATEGORIES: Partial<Record<SubjectStreamEventType, readonly string[]>> = {
  AccountCreated: ['identification', 'professional'],
  LastActivity: ['connection'],
  ContactMade: ['conversations', 'identification'],
  ReviewPosted: ['reviews'],
  InvoiceIssued: ['billing'],
  TransactionRecorded: ['transactions'],
  ProspectRegistered: ['identification', 'professional'],
  ConsentGiven: ['consent'],
  ConsentWithdrawn: ['consent'],
  VisitRecorded: ['navigation'],
  BugReported: ['usage'],
  InformationRequested: ['requests'],
  ReportShared: ['usage'],
  RightsRequestReceived: ['requests'],
  IdentityProofReceived: ['identity-proof'],
};

/** One stored event of `type` about `subject`, its records keyed as the ledger keys them. */
export function eventOfTypeArb(
  type: SubjectStreamEventType,
  subject = TEST_SUBJECT,
): fc.Arbitrary<LedgerEventV1> {
  return fc
    .record({
      eventId: fc.uuid(),
      occurredAt: instantArb,
      source: fc.constantFrom('marketplace-api', 'crm', 'billing'),
      data: dataArbs[type] as fc.Arbitrary<object>,
      categories: fc.subarray([...(CATEGORIES[type] ?? [])]),
    })
    .map(({ eventId, occurredAt, source, data, categories }) => {
      // The record key depends on ids only, which keep their names when stored.
      const published = { type, occurredAt, data } as unknown as AnyPublishedEvent;
      const personalData = categories.map((category) => ({
        category,
        recordKey: recordKeyOf(published, category),
      }));
      return storedEvent(type, occurredAt, data as never, {
        eventId,
        subject,
        source,
        personalData,
      });
    });
}

/** Any stored event a subject's stream may hold. */
export function subjectEventArb(subject = TEST_SUBJECT): fc.Arbitrary<LedgerEventV1> {
  return fc
    .constantFrom(...SUBJECT_STREAM_EVENT_TYPES)
    .chain((type) => eventOfTypeArb(type, subject));
}

/**
 * A subject's history: distinct events (by id) mixing every type, then some of them
 * delivered again, as an at-least-once subscription does after a crash.
 */
export function subjectHistoryArb(
  subject = TEST_SUBJECT,
  { maxLength = 40 }: { readonly maxLength?: number } = {},
): fc.Arbitrary<readonly LedgerEventV1[]> {
  return fc
    .uniqueArray(subjectEventArb(subject), { selector: (e) => e.eventId, maxLength })
    .chain((events) => fc.tuple(fc.constant(events), fc.subarray(events)))
    .chain(([events, again]) => shuffledArb([...events, ...again]));
}

/** Every permutation of `items` (fast-check shrinks towards the original order). */
export function shuffledArb<T>(items: readonly T[]): fc.Arbitrary<readonly T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}
