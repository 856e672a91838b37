import type { LedgerEventV1 } from '../../events/ledger-event';
import { evolveSubject } from '../evolve-subject';
import type { SubjectState } from '../subject-state';
import { initialSubjectState } from '../subject-state';
import { TEST_SUBJECT } from './stored-event';

/** Folds a history from the initial state of its subject. */
export function foldSubject(
  events: readonly LedgerEventV1[],
  subject: string = TEST_SUBJECT,
): SubjectState {
  return events.reduce(evolveSubject, initialSubjectState(subject));
}

/**
 * `given(events).then(expected)`: the fields of `expected` equal those of the folded state;
 * the same history replayed in reverse, and with every event delivered twice, folds to the
 * same bytes.
 */
export function given(...events: readonly LedgerEventV1[]) {
  const state = foldSubject(events);
  return {
    state,
    then(expected: Partial<SubjectState>): SubjectState {
      expect(state).toEqual(expect.objectContaining(expected));
      const reversed = foldSubject([...events].reverse());
      const twice = foldSubject(events.flatMap((event) => [event, event]));
      expect(JSON.stringify(reversed)).toBe(JSON.stringify(state));
      expect(JSON.stringify(twice)).toBe(JSON.stringify(state));
      return state;
    },
  };
}
