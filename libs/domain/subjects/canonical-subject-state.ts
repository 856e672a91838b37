import { sortedMap } from './sorted-map';
import {
  clock,
  contractState,
  disputeState,
  phaseState,
  purposeConsent,
  recordState,
  renewalState,
  roleValue,
} from './state-shapes';
import type { SubjectState } from './subject-state';

/** The order of the state's fields, `initialSubjectState`'s with the optional ones in place. */
const FIELDS = [
  'subject',
  'account',
  'prospect',
  'clocks',
  'contracts',
  'disputes',
  'consents',
  'recordClocks',
  'records',
  'phases',
  'renewals',
] as const satisfies readonly (keyof SubjectState)[];

// A field added to SubjectState and not to FIELDS would be dropped by `withFields`.
type AssertNever<T extends never> = T;
type _EveryFieldIsLaidOut = AssertNever<Exclude<keyof SubjectState, (typeof FIELDS)[number]>>;

/** `state` with some fields replaced (or removed with `undefined`), in the fixed order. */
export function withFields(state: SubjectState, changes: Partial<SubjectState>): SubjectState {
  const merged: Partial<SubjectState> = { ...state, ...changes };
  return Object.fromEntries(
    FIELDS.filter((field) => merged[field] !== undefined).map((field) => [field, merged[field]]),
  ) as unknown as SubjectState;
}

/**
 * The state in canonical form: fields in one order, map keys sorted, absent values left
 * out. `evolveSubject` already returns canonical states; this is for a state that came from
 * elsewhere (a read store, a hand-written fixture) before it is compared byte for byte.
 */
export function canonicalSubjectState(state: SubjectState): SubjectState {
  return withFields(state, {
    account: state.account && roleValue(state.account),
    prospect: state.prospect && clock(state.prospect),
    clocks: mapValues(state.clocks, clock),
    contracts: mapValues(state.contracts, contractState),
    disputes: mapValues(state.disputes, disputeState),
    consents: mapValues(state.consents, purposeConsent),
    recordClocks: mapValues(state.recordClocks, (clocks) => mapValues(clocks, clock)),
    records: mapValues(state.records, recordState),
    phases: mapValues(state.phases, phaseState),
    renewals: mapValues(state.renewals, renewalState),
  });
}

function mapValues<V>(map: Readonly<Record<string, V>>, build: (value: V) => V) {
  return sortedMap(Object.entries(map).map(([key, value]) => [key, build(value)] as const));
}
