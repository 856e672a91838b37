import { randomUUID } from 'node:crypto';
import type { PublishedEvent } from '../../libs/domain/events';

/**
 * The events every benchmark publishes: the frequent kinds a platform sends (a contact, a
 * visit, a last activity), each with a 500-byte personal payload (the JSON of the values that
 * get sealed) in one category. Subjects are drawn at random from a fixed population, so the
 * vault creates each (subject, record, category) key once and then reuses it; with three
 * kinds, a population of S subjects needs 3 S data keys and S pseudonyms.
 */
export const PERSONAL_PAYLOAD_BYTES = 500;
export const KINDS_PER_SUBJECT = 3;
/** In the past (the ledger refuses events more than 5 minutes ahead) and one month long. */
const OCCURRED_AT = '2024-06-01T10:00:00Z';
const SOURCE = 'bench-publisher';

const FILLER =
  'Bonjour, je voudrais reprendre notre conversation sur le poste et la formation; ' +
  'pouvez-vous me rappeler demain matin ou en fin de journee, merci beaucoup. ';

interface Kind {
  readonly type: 'ContactMade' | 'VisitRecorded' | 'LastActivity';
  readonly data: Record<string, string>;
  readonly category: string;
  readonly values: Record<string, string>;
}

const KINDS: readonly Kind[] = [
  {
    type: 'ContactMade',
    data: { channel: 'platform', direction: 'inbound' },
    category: 'conversations',
    values: padTo({ message: '' }, 'message'),
  },
  {
    type: 'VisitRecorded',
    data: {},
    category: 'navigation',
    values: padTo(
      {
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        landingPage: '/mentors/search?field=data-engineering',
        screen: '1920x1080',
        actions: '',
      },
      'actions',
    ),
  },
  {
    type: 'LastActivity',
    data: {},
    category: 'connection',
    values: padTo({ ip: '203.0.113.42', referrer: 'https://www.example.org/', utm: '' }, 'utm'),
  },
];

/** Grows one field with text until the JSON of the values is exactly PERSONAL_PAYLOAD_BYTES. */
function padTo(values: Record<string, string>, field: string): Record<string, string> {
  const base = Buffer.byteLength(JSON.stringify(values));
  const missing = PERSONAL_PAYLOAD_BYTES - base;
  const text = FILLER.repeat(Math.ceil(missing / FILLER.length) + 1).slice(0, missing);
  return { ...values, [field]: text };
}

export function subjectId(index: number): string {
  return `user-${index.toString().padStart(7, '0')}`;
}

function randomIndex(bound: number): number {
  return Math.floor(Math.random() * bound);
}

/** One event as the ledger's validation hands it to the handler (occurredAt normalized). */
export function publishedEvent(subject: number, kind: number): PublishedEvent {
  const { type, data, category, values } = KINDS[kind % KINDS.length];
  return {
    eventId: randomUUID(),
    type,
    subjectId: subjectId(subject),
    occurredAt: new Date(OCCURRED_AT).toISOString(),
    source: SOURCE,
    data: { ...data },
    personalData: { [category]: { ...values } },
  } as PublishedEvent;
}

export function randomPublishedEvents(count: number, subjects: number): PublishedEvent[] {
  return Array.from({ length: count }, () =>
    publishedEvent(randomIndex(subjects), randomIndex(KINDS.length)),
  );
}

/** Every (subject, kind) once, in a shuffled order: the pass that creates every key. */
export function everyKeyOnce(subjects: number): Array<[subject: number, kind: number]> {
  const pairs: Array<[number, number]> = [];
  for (let s = 0; s < subjects; s++) for (let k = 0; k < KINDS.length; k++) pairs.push([s, k]);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  return pairs;
}

// HTTP bodies are written as text from a per-kind template: only the event id and the subject
// change, and building them must cost the load generator (which shares the 2 cores with the
// server) as little as possible.
const ENVELOPE_TAILS = KINDS.map(
  (kind) =>
    `,"occurredAt":"${OCCURRED_AT}","source":"${SOURCE}","data":${JSON.stringify(kind.data)},` +
    `"personalData":${JSON.stringify({ [kind.category]: kind.values })}}`,
);

/** One envelope's JSON, with a fresh event id. */
export function envelopeJson(subjects: number): string {
  const kind = randomIndex(KINDS.length);
  return (
    `{"eventId":"${randomUUID()}","type":"${KINDS[kind].type}",` +
    `"subjectId":"${subjectId(randomIndex(subjects))}"${ENVELOPE_TAILS[kind]}`
  );
}

/** The body of `POST /v1/events`: one envelope when `count` is 1, a batch otherwise. */
export function publishBody(count: number, subjects: number): string {
  if (count === 1) return envelopeJson(subjects);
  const envelopes = new Array<string>(count);
  for (let i = 0; i < count; i++) envelopes[i] = envelopeJson(subjects);
  return `{"events":[${envelopes.join(',')}]}`;
}
