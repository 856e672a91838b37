import {
  encodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../../libs/domain/events/ledger-event';
import type { AppendRequest, EventStore } from '../../libs/event-store';

/**
 * A log shaped like a platform's, for the read-model benchmarks: one `AccountCreated` per
 * subject (identification data), then mostly `LastActivity` with connection data (a
 * `visits:<month>` record each month), plus an invoice now and then; subjects interleaved,
 * time moving forward about a minute per event, deterministic.
 */
export async function writeSubjectLog(
  store: EventStore,
  events: number,
  subjects: number,
): Promise<void> {
  let seed = 7;
  // The classic LCG, its product taken modulo 2^32 by Math.imul: in plain floating point
  // `seed * 1103515245` passes 2^53 and loses its low bits, and the sequence fell into a short
  // cycle that sent the 900,000 events after the AccountCreated wave to ~7,000 subjects.
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 2 ** 31;
  };
  const start = Date.parse('2022-01-01T00:00:00Z');
  let requests: AppendRequest[] = [];
  for (let i = 0; i < events; i++) {
    const n = i < subjects ? i : Math.floor(random() * subjects);
    const subject = `bench-${n.toString().padStart(7, '0')}`;
    const at = new Date(start + i * 60_000).toISOString();
    const event = eventAt(
      i,
      subject,
      at,
      i < subjects ? 'AccountCreated' : random() < 0.03 ? 'InvoiceIssued' : 'LastActivity',
    );
    requests.push({
      streamName: subjectStreamName(subject),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    if (requests.length === 2000) {
      await store.appendMany(requests);
      requests = [];
    }
  }
  if (requests.length > 0) await store.appendMany(requests);
}

function eventAt(i: number, subject: string, at: string, type: string): LedgerEventV1 {
  const eventId = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const base = {
    v: 1 as const,
    eventId,
    type,
    subject,
    occurredAt: at,
    recordedAt: at,
    source: 'bench',
  };
  const box = (category: string, recordKey: string) => ({
    category,
    recordKey,
    keyId: 'k',
    sealed: 'AA==',
  });
  switch (type) {
    case 'AccountCreated':
      return {
        ...base,
        data: { role: 'member' },
        personalData: [box('identification', 'account')],
      };
    case 'InvoiceIssued':
      return {
        ...base,
        data: { invoiceId: `INV-${i}`, amount: 10, currency: 'EUR' },
        personalData: [box('billing', `invoice:INV-${i}`)],
      };
    default:
      return { ...base, data: {}, personalData: [box('connection', `visits:${at.slice(0, 7)}`)] };
  }
}
