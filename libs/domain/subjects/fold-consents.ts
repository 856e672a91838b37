import { withFields } from './canonical-subject-state';
import type { Merge } from './fold-clocks';
import { own, put } from './sorted-map';
import { purposeConsent, renewalState } from './state-shapes';
import type { ClockValue, PurposeConsent, RenewalState, SubjectState } from './subject-state';

/** `consentGiven` and `consentWithdrawn` keep the latest; `objection` the earliest. */
export function foldConsent(
  state: SubjectState,
  purpose: string,
  clockName: keyof PurposeConsent,
  merge: Merge,
  value: ClockValue,
): SubjectState {
  const before = own(state.consents, purpose) ?? {};
  const after = purposeConsent({ ...before, [clockName]: merge(before[clockName], value) });
  return withFields(state, { consents: put(state.consents, purpose, after) });
}

/**
 * An objection stops the purposes it names; one that names none is an objection to
 * direct marketing, the one every subject may make without giving a reason (spec:
 * "stops the purposes named (at least marketing)").
 */
export function objectedPurposes(purposes: readonly string[] | undefined): readonly string[] {
  return purposes !== undefined && purposes.length > 0 ? purposes : ['marketing'];
}

/** The latest question asked and the latest answer given, by purpose. */
export function foldRenewal(
  state: SubjectState,
  purpose: string,
  change: (before: RenewalState) => RenewalState,
): SubjectState {
  const after = renewalState(change(own(state.renewals, purpose) ?? {}));
  return withFields(state, { renewals: put(state.renewals, purpose, after) });
}
