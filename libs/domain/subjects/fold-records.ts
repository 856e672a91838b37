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
  const boxes = event.personalData;
  if (boxes === undefined || boxes.length === 0) return state;
  const at = clockOf(event);
  let records = state.records;
  for (const { recordKey, category } of boxes) {
    const id = recordIdOf(recordKey, category);
    const before = own(records, id);
    const collectedAt = earliest(before?.collectedAt, at);
    const lastCollectedAt = latest(before?.lastCollectedAt, at);
    const sources = sortedUnion(before?.sources ?? [], [event.source]);
    if (
      before !== undefined &&
      collectedAt === before.collectedAt &&
      lastCollectedAt === before.lastCollectedAt &&
      sources === before.sources
    ) {
      continue;
    }
    // Values kept from `before` are canonical already: only the new ones are laid out.
    const record = { recordKey, category, collectedAt, lastCollectedAt, sources };
    records = put(records, id, before === undefined ? recordState(record) : record);
  }
  return records === state.records ? state : withFields(state, { records });
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
  const before = own(clocks, name);
  const after = latest(before, value);
  if (after === before) return state;
  return withFields(state, {
    recordClocks: put(state.recordClocks, recordKey, put(clocks, name, clock(after))),
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
  const moved = earliest(before[phase], value);
  if (moved === before[phase]) return state;
  const after = phaseState({ ...before, [phase]: moved });
  return withFields(state, { phases: put(state.phases, recordId, after) });
}
