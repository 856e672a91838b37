import type {
  AnyPublishedEvent,
  PublishedEvent,
} from '../../../libs/domain/events/published-event';
import type { LedgerEventV1, SealedPersonalData } from '../../../libs/domain/events/ledger-event';
import { recordKeyOf } from '../../../libs/domain/records/record-keys';
import type { DataKey, KeyVault, RecordKeyRef } from '../../../libs/crypto/key-vault.port';
import { sealPersonalData } from '../../../libs/crypto/personal-data/seal-personal-data';

/** Fields of `data` that name another person: kept only as that person's pseudonym. */
const PERSON_FIELDS: Readonly<Record<string, string>> = {
  counterpartId: 'counterpart',
  beneficiaryId: 'beneficiary',
};

/**
 * Turns published events into what the log may hold: the subject (and any other person
 * named in `data`) replaced by pseudonyms, each category of personal data sealed under its
 * record's data key. The vault commits new pseudonyms and keys before this returns, so an
 * event is never stored under a key that a crash could lose.
 */
export async function protectEvents(
  vault: KeyVault,
  events: readonly PublishedEvent[],
  context: { readonly recordedAt: string; readonly digests: readonly string[] },
): Promise<LedgerEventV1[]> {
  const pseudonyms = await pseudonymsOfEveryone(vault, events);
  const refs = events.flatMap((event) => personalDataRefs(event as AnyPublishedEvent, pseudonyms));
  const keys = await dataKeys(vault, refs);

  return events.map((published, i) => {
    const event = published as AnyPublishedEvent;
    const subject = pseudonyms.get(event.subjectId)!;
    const personalData = Object.entries(event.personalData ?? {}).map(
      ([category, values]): SealedPersonalData => {
        const recordKey = recordKeyOf(event, category);
        const key = keys.get(refId({ owner: subject, recordKey, category }))!;
        return sealPersonalData(
          event.eventId,
          { category, recordKey, keyId: key.keyId },
          key.key,
          values,
        );
      },
    );
    return {
      v: 1,
      eventId: event.eventId,
      type: event.type,
      subject,
      occurredAt: event.occurredAt,
      recordedAt: context.recordedAt,
      source: event.source,
      data: pseudonymizeData(event.data, pseudonyms),
      ...(personalData.length > 0 ? { personalData } : {}),
      digest: context.digests[i],
    };
  });
}

async function pseudonymsOfEveryone(vault: KeyVault, events: readonly PublishedEvent[]) {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.subjectId);
    for (const field of Object.keys(PERSON_FIELDS)) {
      const value = (event.data as Record<string, unknown>)[field];
      if (typeof value === 'string') ids.add(value);
    }
  }
  const subjectIds = [...ids];
  const pseudonyms = await vault.pseudonymsOf(subjectIds);
  return new Map(subjectIds.map((id, i) => [id, pseudonyms[i]]));
}

function personalDataRefs(
  event: AnyPublishedEvent,
  pseudonyms: Map<string, string>,
): RecordKeyRef[] {
  const owner = pseudonyms.get(event.subjectId)!;
  return Object.keys(event.personalData ?? {}).map((category) => ({
    owner,
    recordKey: recordKeyOf(event, category),
    category,
  }));
}

async function dataKeys(vault: KeyVault, refs: RecordKeyRef[]): Promise<Map<string, DataKey>> {
  const unique = [...new Map(refs.map((ref) => [refId(ref), ref])).values()];
  const keys = await vault.dataKeysFor(unique);
  return new Map(unique.map((ref, i) => [refId(ref), keys[i]]));
}

function refId(ref: RecordKeyRef): string {
  return `${ref.owner}\u0000${ref.recordKey}\u0000${ref.category}`;
}

function pseudonymizeData(data: object, pseudonyms: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    const renamed = PERSON_FIELDS[field];
    if (renamed && typeof value === 'string') out[renamed] = pseudonyms.get(value);
    else out[field] = value;
  }
  return out;
}
