import type { LegalHoldPlacedData, LegalHoldReleasedData } from '../events/ledger-written-events';
import type { LedgerEventV1 } from '../events/ledger-event';
import type { SubjectState } from '../subjects/subject-state';

/** A hold as the API answers for it: when it was placed and, once released, when and why. */
export interface LegalHoldView {
  readonly holdId: string;
  readonly placedAt: string;
  readonly reason: string;
  readonly released?: { readonly at: string; readonly reason: string };
}

export type ReleaseDecision =
  | { readonly kind: 'unknown-hold' }
  | { readonly kind: 'release'; readonly data: LegalHoldReleasedData }
  /** Released before: the same answer as then, nothing written. */
  | { readonly kind: 'already-released'; readonly hold: LegalHoldView };

export function decidePlaceLegalHold(holdId: string, reason: string): LegalHoldPlacedData {
  return { holdId, reason };
}

/** Releasing a hold twice releases it once: the second answer is the first one's. */
export function decideReleaseLegalHold(
  state: SubjectState,
  events: readonly LedgerEventV1[],
  holdId: string,
  reason: string,
): ReleaseDecision {
  const hold = legalHoldView(state, events, holdId);
  if (hold === undefined) return { kind: 'unknown-hold' };
  if (hold.released) return { kind: 'already-released', hold };
  return { kind: 'release', data: { holdId, reason } };
}

/** The hold as the fold keeps it, with the reasons read from the events that fixed it. */
export function legalHoldView(
  state: SubjectState,
  events: readonly LedgerEventV1[],
  holdId: string,
): LegalHoldView | undefined {
  const hold = Object.hasOwn(state.legalHolds ?? {}, holdId)
    ? state.legalHolds![holdId]
    : undefined;
  if (hold?.placed === undefined) return undefined;
  const reasonOf = (eventId: string) =>
    String(events.find((e) => e.eventId === eventId)?.data.reason ?? '');
  return {
    holdId,
    placedAt: hold.placed.at,
    reason: reasonOf(hold.placed.eventId),
    ...(hold.released && {
      released: { at: hold.released.at, reason: reasonOf(hold.released.eventId) },
    }),
  };
}
