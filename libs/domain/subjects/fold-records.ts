import type { LedgerEventV1 } from '../events/ledger-event';
import { withFields } from './canonical-subject-state';
import { earliest, latest } from './clock-order';
import type { RECORD_CLOCKS } from './clock-names';
import { own, put, sortedUnion } from './sorted-map';
import { clock, clockOf, phaseState, recordState } from './state-shapes';
import type { ClockValue, RecordPhaseState, SubjectState } from './subject-state';
import { recordIdOf } from './subject-state';

/** Record clocks kept by record key, whether or not the event carried personal data. */
export type KeyedRecordClockName = Exclude<
  (typeof RECORD_CLOCKS)[number],
  'collectedAt' | 'lastCollectedAt'
>;

/**
 * Each sealed box of the event is a collection of its record: the record's first and last
 * collections, and the services it came from.
 */
export function foldPersonalData(state: SubjectState, event: LedgerEventV1): SubjectState {
  const at = clockOf(event);
  return (event.personalData ?? []).reduce((current, { recordKey, category }) => {
    const id = recordIdOf(recordKey, category);
    const before = own(current.records, id);
    const record = recordState({
      recordKey,
      category,
      collectedAt: earliest(before?.collectedAt, at),
      lastCollectedAt: latest(before?.lastCollectedAt, at),
      sources: sortedUnion(before?.sources ?? [], [event.source]),
    });
    return withFields(current, { records: put(current.records, id, record) });
  }, state);
}

/**
 * The end of a request, a verification or a contract: the latest such event, as a later
 * event moves a clock forward only (spec, "Rules of arithmetic").
 */
export function moveRecordClock(
  state: SubjectState,
  recordKey: string,
  name: KeyedRecordClockName,
  value: ClockValue,
): SubjectState {
  const clocks = own(state.recordClocks, recordKey) ?? {};
  const after = clock(latest(own(clocks, name), value));
  return withFields(state, {
    recordClocks: put(state.recordClocks, recordKey, put(clocks, name, after)),
  });
}

/** The ledger archives or erases a record once; a repeated decision does not move it. */
export function foldPhase(
  state: SubjectState,
  recordId: string,
  phase: keyof RecordPhaseState,
  value: ClockValue,
): SubjectState {
  const before = own(state.phases, recordId) ?? {};
  const after = phaseState({ ...before, [phase]: earliest(before[phase], value) });
  return withFields(state, { phases: put(state.phases, recordId, after) });
}
