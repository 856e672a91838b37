import { randomUUID } from 'node:crypto';
import { KEYS } from './ledger-harness';

/*
 * The publishers of the crash test: each sends single events and small batches, with
 * personal data, until told to stop, and notes what every request got back.
 */

export interface Envelope {
  readonly eventId: string;
  readonly type: string;
  readonly subjectId: string;
  readonly occurredAt: string;
  readonly source: string;
  readonly data: Record<string, unknown>;
  readonly personalData: Record<string, Record<string, unknown>>;
}

/** One POST as a client sent it, and what came back. */
export interface Sent {
  /** Which load, before which kill. */
  readonly cycle: number;
  readonly events: readonly Envelope[];
  readonly body: unknown;
  readonly outcome: 'acknowledged' | 'unanswered' | 'refused';
  readonly status?: number;
  readonly answer?: any;
  /** Why no answer came (connection reset, closed...). */
  readonly error?: string;
}

// Every client writes to these, so that streams are shared; to subjects of its own, which
// outlive the crashes; and to new subjects, whose pseudonym and keys the vault creates.
export const SHARED_SUBJECTS = ['shared-subject-a', 'shared-subject-b', 'shared-subject-c'];

function subjectOf(cycle: number, client: number, n: number): string {
  switch (n % 5) {
    case 0:
      return `new-subject-${cycle}-${client}-${n}`;
    case 1:
      return `client-${client}-subject-${n % 3}`;
    default:
      return SHARED_SUBJECTS[(client + n) % 3];
  }
}

/** Four kinds of event, each with personal data under a record key of its own kind. */
function envelope(cycle: number, client: number, n: number): Envelope {
  const eventId = randomUUID();
  const subjectId = subjectOf(cycle, client, n);
  const occurredAt = `2024-0${1 + (n % 5)}-1${client % 10}T10:00:00.000Z`;
  const base = { eventId, subjectId, occurredAt, source: `crash-client-${client}` };
  const tag = `${cycle}-${client}-${n}`;
  switch (n % 4) {
    case 0:
      return {
        ...base,
        type: 'AccountCreated',
        data: { role: 'member' },
        personalData: {
          identification: { email: `person-${tag}@example.org`, firstName: `Name ${tag}` },
          professional: { company: `Company ${tag}` },
        },
      };
    case 1:
      return {
        ...base,
        type: 'ContactMade',
        data: {
          channel: 'platform',
          direction: 'outbound',
          counterpartId: SHARED_SUBJECTS[(client + n + 1) % 3],
        },
        personalData: { conversations: { text: `Hello ${tag}` } },
      };
    case 2:
      return {
        ...base,
        type: 'InvoiceIssued',
        data: { invoiceId: `INV-${eventId}`, amount: 10 + n, currency: 'EUR' },
        personalData: { billing: { address: `${n} rue de ${tag}` } },
      };
    default:
      return {
        ...base,
        type: 'VisitRecorded',
        data: {},
        personalData: {
          navigation: { userAgent: `agent ${tag}` },
          connection: { ip: `10.0.${client}.${n % 250}` },
        },
      };
  }
}

/** Alternates single events and batches of 2 to 4. */
function nextRequest(
  cycle: number,
  client: number,
  request: number,
  counter: { n: number },
): Envelope[] {
  const size = request % 2 === 0 ? 1 : 2 + (request % 3);
  return Array.from({ length: size }, () => envelope(cycle, client, counter.n++));
}

export async function post(url: string, body: unknown) {
  const response = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.publisher}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { status: response.status, answer: text ? JSON.parse(text) : undefined };
}

function bodyOf(events: readonly Envelope[]): unknown {
  return events.length === 1 ? events[0] : { events };
}

function reasonOf(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: string } };
  return cause?.code ?? (cause as Error | undefined)?.message ?? message ?? String(error);
}

/** One publisher: sends until told to stop, and notes what each request got. */
export async function publishUntilStopped(
  url: string,
  cycle: number,
  client: number,
  stopped: () => boolean,
  sent: Sent[],
): Promise<void> {
  const counter = { n: 0 };
  for (let request = 0; !stopped(); request++) {
    const events = nextRequest(cycle, client, request, counter);
    const body = bodyOf(events);
    try {
      const { status, answer } = await post(url, body);
      const outcome = status >= 200 && status < 300 ? 'acknowledged' : 'refused';
      sent.push({ cycle, events, body, outcome, status, answer });
    } catch (error) {
      sent.push({ cycle, events, body, outcome: 'unanswered', error: reasonOf(error) });
    }
  }
}

/** Positions answered, by event id, for a single-event or a batch answer. */
export function answeredPositions(events: readonly Envelope[], answer: any): Map<string, string> {
  const outcomes: Array<{ eventId: string; position: string }> =
    events.length === 1 ? [answer] : answer.events;
  return new Map(outcomes.map((o) => [o.eventId, o.position]));
}
