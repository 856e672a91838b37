import { withFields } from './canonical-subject-state';
import { compareClocks, earliest, latest } from './clock-order';
import { own, put } from './sorted-map';
import { legalHoldState, restrictionState } from './state-shapes';
import type { ClockValue, SubjectState } from './subject-state';

/** A restriction request or its lifting: the latest of each is kept. */
export function foldRestriction(
  state: SubjectState,
  step: 'requested' | 'lifted',
  value: ClockValue,
): SubjectState {
  const before = state.restriction ?? {};
  const moved = latest(before[step], value);
  if (moved === before[step]) return state;
  return withFields(state, { restriction: restrictionState({ ...before, [step]: moved }) });
}

/** A legal hold is placed at its earliest placing and released at its latest release. */
export function foldLegalHold(
  state: SubjectState,
  holdId: string,
  step: 'placed' | 'released',
  value: ClockValue,
): SubjectState {
  const holds = state.legalHolds ?? {};
  const before = own(holds, holdId) ?? {};
  const moved = step === 'placed' ? earliest(before.placed, value) : latest(before.released, value);
  if (moved === before[step]) return state;
  const after = legalHoldState({ ...before, [step]: moved });
  return withFields(state, { legalHolds: put(holds, holdId, after) });
}

/** Restricted (art. 18) while the latest request is later than the latest lifting. */
export function isRestricted(state: SubjectState): boolean {
  const { requested, lifted } = state.restriction ?? {};
  return requested !== undefined && (lifted === undefined || compareClocks(requested, lifted) > 0);
}

/** The ids of the legal holds placed and not released. */
export function legalHoldsInForce(state: SubjectState): string[] {
  return Object.entries(state.legalHolds ?? {})
    .filter(([, hold]) => hold.placed !== undefined && hold.released === undefined)
    .map(([holdId]) => holdId);
}
