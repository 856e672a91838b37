import type { LedgerEventV1, SealedPersonalData } from '../../events/ledger-event';
import type { SubjectStreamDataByType, SubjectStreamEventType } from '../subject-stream-event';

/** The pseudonym test events are about, unless told otherwise. */
export const TEST_SUBJECT = 'ps-0001';

export interface StoredEventOptions {
  /** Defaults to `<type>@<occurredAt>`: unique enough for hand-written histories. */
  readonly eventId?: string;
  readonly subject?: string;
  readonly source?: string;
  /** The records the event's sealed personal data belongs to. */
  readonly personalData?: readonly { readonly category: string; readonly recordKey: string }[];
}

/**
 * A stored event as the ledger writes it, typed by its `data`, with placeholder boxes in
 * place of sealed personal data (the state reads only their category and record key).
 */
export function storedEvent<T extends SubjectStreamEventType>(
  type: T,
  occurredAt: string,
  data: SubjectStreamDataByType[T],
  options: StoredEventOptions = {},
): LedgerEventV1 {
  const personalData = (options.personalData ?? []).map(sealedBox);
  return {
    v: 1,
    eventId: options.eventId ?? `${type}@${occurredAt}`,
    type,
    subject: options.subject ?? TEST_SUBJECT,
    occurredAt,
    recordedAt: occurredAt,
    source: options.source ?? 'marketplace-api',
    data: data as unknown as LedgerEventV1['data'],
    ...(personalData.length > 0 ? { personalData } : {}),
  };
}

function sealedBox(ref: { readonly category: string; readonly recordKey: string }) {
  const box: SealedPersonalData = {
    category: ref.category,
    recordKey: ref.recordKey,
    keyId: `key:${ref.recordKey}|${ref.category}`,
    sealed: 'AA==',
  };
  return box;
}
