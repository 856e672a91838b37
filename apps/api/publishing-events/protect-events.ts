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
  // Each (event, category) once: its record, and which of the batch's distinct keys seals it.
  const boxes = events.map((event) => boxesOf(event as AnyPublishedEvent, pseudonyms));
  const keys = await dataKeys(vault, boxes);

  return events.map((published, i) => {
    const event = published as AnyPublishedEvent;
    const personalData = boxes[i].map(({ ref, values, key }): SealedPersonalData => {
      const dataKey = keys[key];
      return sealPersonalData(
        event.eventId,
        { category: ref.category, recordKey: ref.recordKey, keyId: dataKey.keyId },
        dataKey.key,
        values,
      );
    });
    return {
      v: 1,
      eventId: event.eventId,
      type: event.type,
      subject: pseudonyms.get(event.subjectId)!,
      occurredAt: event.occurredAt,
      recordedAt: context.recordedAt,
      source: event.source,
      data: pseudonymizeData(event.data, pseudonyms),
      ...(personalData.length > 0 ? { personalData } : {}),
      digest: context.digests[i],
    };
  });
}

interface Box {
  readonly ref: RecordKeyRef;
  readonly values: unknown;
  /** Index of the ref's key among the batch's distinct refs. */
  key: number;
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

function boxesOf(event: AnyPublishedEvent, pseudonyms: Map<string, string>): Box[] {
  const owner = pseudonyms.get(event.subjectId)!;
  const personalData = event.personalData ?? {};
  return Object.keys(personalData).map((category) => ({
    ref: { owner, recordKey: recordKeyOf(event, category), category },
    values: personalData[category],
    key: -1,
  }));
}

/** The data key of every box, each distinct ref asked of the vault once. */
async function dataKeys(vault: KeyVault, boxes: readonly Box[][]): Promise<DataKey[]> {
  const indexById = new Map<string, number>();
  const unique: RecordKeyRef[] = [];
  for (const eventBoxes of boxes) {
    for (const box of eventBoxes) {
      const id = refId(box.ref);
      let index = indexById.get(id);
      if (index === undefined) {
        index = unique.push(box.ref) - 1;
        indexById.set(id, index);
      }
      box.key = index;
    }
  }
  return unique.length > 0 ? vault.dataKeysFor(unique) : [];
}

/** Unambiguous whatever characters the parts contain: the first two are length-prefixed. */
function refId(ref: RecordKeyRef): string {
  return `${ref.owner.length}:${ref.owner}${ref.category.length}:${ref.category}${ref.recordKey}`;
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
