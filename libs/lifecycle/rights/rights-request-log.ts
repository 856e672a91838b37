import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import type { RightsRequestStep } from '../../domain/events/ledger-written-events';
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

const STEP_OF_FACT: Readonly<Record<string, RightsRequestStep['action']>> = {
  RecordErased: 'erased',
  ErasureDeferred: 'deferred',
  RecordArchived: 'archived',
};

/**
 * What the lifecycle did to the subject's records since the request came, whoever did it:
 * the answer's own steps, or the sweep when it got there first (after a crash, say).
 */
export function lifecycleFactsSince(
  events: readonly LedgerEventV1[],
  receivedIndex: number,
): RightsRequestStep[] {
  return events.slice(receivedIndex + 1).flatMap((event) => {
    const action = STEP_OF_FACT[event.type];
    if (action === undefined) return [];
    const { recordKey, category } = event.data as { recordKey: string; category: string };
    return [{ action, recordKey, category, eventId: event.eventId }];
  });
}
