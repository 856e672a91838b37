import { withFields } from './canonical-subject-state';
import { earliest, latest } from './clock-order';
import { deriveContractsEnded } from './fold-clocks';
import { own, put } from './sorted-map';
import { contractState, disputeState } from './state-shapes';
import type { ClockValue, DisputeMark, SubjectState } from './subject-state';

/** A contract is signed at its earliest signature and ended at its latest end. */
export function foldContract(
  state: SubjectState,
  contractId: string,
  step: 'signed' | 'ended',
  value: ClockValue,
): SubjectState {
  const before = own(state.contracts, contractId) ?? {};
  const after = contractState(
    step === 'signed'
      ? { ...before, signed: earliest(before.signed, value) }
      : { ...before, ended: latest(before.ended, value) },
  );
  return deriveContractsEnded(
    withFields(state, { contracts: put(state.contracts, contractId, after) }),
  );
}

/** A dispute is opened at its earliest opening and closed at its latest closing. */
export function foldDispute(
  state: SubjectState,
  disputeId: string,
  step: 'opened' | 'closed',
  value: DisputeMark,
): SubjectState {
  const before = own(state.disputes, disputeId) ?? {};
  const after = disputeState(
    step === 'opened'
      ? { ...before, opened: earliest(before.opened, value) }
      : { ...before, closed: latest(before.closed, value) },
  );
  return withFields(state, { disputes: put(state.disputes, disputeId, after) });
}
