import { withFields } from './canonical-subject-state';
import { earliest, latest } from './clock-order';
import type { SUBJECT_CLOCKS } from './clock-names';
import { own, put, remove } from './sorted-map';
import { clock, roleValue } from './state-shapes';
import type { ClockValue, RoleValue, SubjectState } from './subject-state';

export type SubjectClockName = (typeof SUBJECT_CLOCKS)[number];

/** How a clock merges a new value: it moves one way only. */
export type Merge = <T extends ClockValue>(before: T | undefined, value: T) => T;

/** Moves a subject clock; the same state when the value changes nothing. */
export function moveClock(
  state: SubjectState,
  name: SubjectClockName,
  merge: Merge,
  value: ClockValue,
): SubjectState {
  const before = own(state.clocks, name);
  const after = merge(before, value);
  return after === before
    ? state
    : withFields(state, { clocks: put(state.clocks, name, clock(after)) });
}

/** The account role comes from the earliest `AccountCreated`. */
export function foldAccount(state: SubjectState, value: RoleValue): SubjectState {
  const after = earliest(state.account, value);
  return after === state.account ? state : withFields(state, { account: roleValue(after) });
}

export function foldProspect(state: SubjectState, value: ClockValue): SubjectState {
  const after = earliest(state.prospect, value);
  return after === state.prospect ? state : withFields(state, { prospect: clock(after) });
}

/**
 * `contractsEnded`: the latest end, once every signed contract has ended (an end with no
 * signature known counts as a contract that ended). Derived from the contracts, so it is as
 * order-independent as they are.
 */
export function deriveContractsEnded(state: SubjectState): SubjectState {
  const contracts = Object.values(state.contracts);
  const allEnded = contracts.every((c) => c.signed === undefined || c.ended !== undefined);
  const ends = contracts.flatMap((c) => (c.ended ? [c.ended] : []));
  const value = allEnded ? ends.reduce<ClockValue | undefined>(latest, undefined) : undefined;
  const clocks = value
    ? put(state.clocks, 'contractsEnded', clock(value))
    : remove(state.clocks, 'contractsEnded');
  return withFields(state, { clocks });
}
