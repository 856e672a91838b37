import { sortedMap } from './sorted-map';
import {
  clock,
  contractState,
  disputeState,
  phaseState,
  purposeConsent,
  recordState,
  legalHoldState,
  renewalState,
  restrictionState,
  roleValue,
} from './state-shapes';
import type { SubjectState } from './subject-state';

/**
 * The order of the state's fields, `initialSubjectState`'s with the optional ones in place:
 * `withFields` lays them out one by one in this order.
 */
type Fields = [
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
  'restriction',
  'legalHolds',
];

// A field added to SubjectState must be added to Fields, and then to `withFields`.
type AssertNever<T extends never> = T;
type _EveryFieldIsLaidOut = AssertNever<Exclude<keyof SubjectState, Fields[number]>>;
type _OnlyFieldsOfTheState = AssertNever<Exclude<Fields[number], keyof SubjectState>>;

/** `state` with some fields replaced (or removed with `undefined`), in the fixed order. */
export function withFields(state: SubjectState, changes: Partial<SubjectState>): SubjectState {
  // Spelled out field by field: this runs for nearly every event folded while catching up.
  const pick = <K extends keyof SubjectState>(field: K) =>
    field in changes ? changes[field] : state[field];
  const laidOut: Partial<Record<keyof SubjectState, unknown>> = {};
  const subject = pick('subject');
  if (subject !== undefined) laidOut.subject = subject;
  const account = pick('account');
  if (account !== undefined) laidOut.account = account;
  const prospect = pick('prospect');
  if (prospect !== undefined) laidOut.prospect = prospect;
  const clocks = pick('clocks');
  if (clocks !== undefined) laidOut.clocks = clocks;
  const contracts = pick('contracts');
  if (contracts !== undefined) laidOut.contracts = contracts;
  const disputes = pick('disputes');
  if (disputes !== undefined) laidOut.disputes = disputes;
  const consents = pick('consents');
  if (consents !== undefined) laidOut.consents = consents;
  const recordClocks = pick('recordClocks');
  if (recordClocks !== undefined) laidOut.recordClocks = recordClocks;
  const records = pick('records');
  if (records !== undefined) laidOut.records = records;
  const phases = pick('phases');
  if (phases !== undefined) laidOut.phases = phases;
  const renewals = pick('renewals');
  if (renewals !== undefined) laidOut.renewals = renewals;
  const restriction = pick('restriction');
  if (restriction !== undefined) laidOut.restriction = restriction;
  const legalHolds = pick('legalHolds');
  if (legalHolds !== undefined) laidOut.legalHolds = legalHolds;
  return laidOut as unknown as SubjectState;
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
    restriction: state.restriction && restrictionState(state.restriction),
    legalHolds: state.legalHolds && mapValues(state.legalHolds, legalHoldState),
  });
}

function mapValues<V>(map: Readonly<Record<string, V>>, build: (value: V) => V) {
  return sortedMap(Object.entries(map).map(([key, value]) => [key, build(value)] as const));
}
