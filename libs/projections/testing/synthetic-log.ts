import { encodeLedgerEvent, subjectStreamName } from '../../domain/events/ledger-event';
import { storedEvent } from '../../domain/subjects/testing/stored-event';
import type { AppendRequest, EventStore } from '../../event-store';

export interface SyntheticLogOptions {
  readonly subjects: number;
  readonly events: number;
  /** Deterministic pseudo-random order of subjects and instants. */
  readonly seed?: number;
  /** Event ids are `<prefix>-<n>` (`ev` by default): several logs can share one store. */
  readonly idPrefix?: string;
}

/**
 * A log shaped like a platform's: one `AccountCreated` per subject, then mostly
 * `LastActivity` (with connection data, a record per month), the subjects interleaved.
 */
export async function writeSyntheticLog(store: EventStore, options: SyntheticLogOptions) {
  const random = mulberry32(options.seed ?? 42);
  const start = Date.parse('2022-01-01T00:00:00Z');
  const requests: AppendRequest[] = [];
  const flush = async () => {
    if (requests.length > 0) await store.appendMany(requests.splice(0));
  };
  for (let i = 0; i < options.events; i++) {
    const n = i < options.subjects ? i : Math.floor(random() * options.subjects);
    const subject = `ps-${n.toString().padStart(7, '0')}`;
    const occurredAt = new Date(
      start + i * 60_000 + Math.floor(random() * 3_600_000),
    ).toISOString();
    const event =
      i < options.subjects
        ? storedEvent(
            'AccountCreated',
            occurredAt,
            { role: 'member' },
            {
              eventId: `${options.idPrefix ?? 'ev'}-${i}`,
              subject,
              personalData: [{ category: 'identification', recordKey: 'account' }],
            },
          )
        : storedEvent(
            'LastActivity',
            occurredAt,
            {},
            {
              eventId: `${options.idPrefix ?? 'ev'}-${i}`,
              subject,
              personalData: [
                { category: 'connection', recordKey: `visits:${occurredAt.slice(0, 7)}` },
              ],
            },
          );
    requests.push({
      streamName: subjectStreamName(subject),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    if (requests.length === 1000) await flush();
  }
  await flush();
}

/** A small seeded generator with a full 2^32 period (integer arithmetic via Math.imul). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
