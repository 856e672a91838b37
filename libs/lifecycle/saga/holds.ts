import type { DeferralReason } from '../../domain/events/ledger-written-events';
import { isRestricted, legalHoldsInForce } from '../../domain/subjects/fold-holds';
import type { DisputeState, SubjectState } from '../../domain/subjects/subject-state';
import type { RecordSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';

/**
 * Why a record due for erasure must be kept for now, if it must: a restriction (art. 18)
 * freezes every record of the subject; a legal hold an admin placed, too; an open dispute
 * holds what the purposes marked `heldByDisputes` keep (billing and collections), only the
 * invoice it names when it names one. The saga erases once the hold is gone, if the time
 * is still up.
 */
export function holdOn(
  state: SubjectState,
  policy: Policy,
  record: RecordSchedule,
): DeferralReason | undefined {
  if (isRestricted(state)) return 'restriction';
  if (legalHoldsInForce(state).length > 0) return 'legal-hold';
  if (heldByOpenDispute(state, policy, record)) return 'dispute';
  return undefined;
}

function heldByOpenDispute(state: SubjectState, policy: Policy, record: RecordSchedule): boolean {
  const heldPurposes = new Set(policy.purposes.filter((p) => p.heldByDisputes).map((p) => p.id));
  if (!record.purposes.some((p) => heldPurposes.has(p.purpose))) return false;
  return Object.values(state.disputes).some(
    (dispute) =>
      isOpen(dispute) &&
      (dispute.invoiceId === undefined || record.recordKey === `invoice:${dispute.invoiceId}`),
  );
}

/** Opened, and not closed since. */
function isOpen(dispute: DisputeState): boolean {
  const { opened, closed } = dispute;
  return opened !== undefined && (closed === undefined || closed.at < opened.at);
}
