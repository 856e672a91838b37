import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import { ledgerEventId } from '../../domain/policy-versions/policy-version-published';
import type { RightsRequest } from './plan-rights-request';

/** A request and its answer as a subject's stream holds them (either may be missing). */
export interface RightsRequestInLog {
  readonly received?: LedgerEventV1;
  /** Where `received` sits in the stream: what came before is what the request is about. */
  readonly receivedIndex: number;
  readonly answer?: LedgerEventV1;
}

export function findRightsRequest(
  events: readonly LedgerEventV1[],
  requestId: string,
): RightsRequestInLog {
  const receivedIndex = events.findIndex(
    (e) => e.type === 'RightsRequestReceived' && e.data.requestId === requestId,
  );
  const answer = events.find(
    (e) => e.type === 'RightsRequestAnswered' && e.data.requestId === requestId,
  );
  return {
    ...(receivedIndex >= 0 && { received: events[receivedIndex] }),
    receivedIndex,
    ...(answer && { answer }),
  };
}

/** The request a `RightsRequestReceived` records (the platform's or the compliance desk's). */
export function rightsRequestOf(received: LedgerEventV1): RightsRequest & {
  readonly recordKey?: string;
  readonly category?: string;
} {
  const data = received.data as Omit<RightsRequest, 'receivedAt'> & {
    recordKey?: string;
    category?: string;
  };
  return {
    requestId: data.requestId,
    right: data.right,
    ...(data.purposes !== undefined && { purposes: data.purposes }),
    ...(data.recordKey !== undefined && { recordKey: data.recordKey }),
    ...(data.category !== undefined && { category: data.category }),
    receivedAt: new Date(received.occurredAt).toISOString(),
  };
}

/**
 * The ids of what the compliance desk writes for one request: one reception and one answer
 * per request, whatever the retries, so a retry after a crash writes nothing twice.
 */
export function rightsEventId(
  type: 'RightsRequestReceived' | 'RightsRequestAnswered',
  pseudonym: string,
  requestId: string,
): string {
  return ledgerEventId(['rights-request', type, pseudonym, requestId].join('\n'));
}
