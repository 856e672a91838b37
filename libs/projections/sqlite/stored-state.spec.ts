import fc from 'fast-check';
import { evolveSubject } from '../../domain/subjects/evolve-subject';
import { subjectHistoryArb } from '../../domain/subjects/testing/arbitraries';
import { foldSubject } from '../../domain/subjects/testing/given';
import { storedEvent } from '../../domain/subjects/testing/stored-event';
import { decodeStoredState, encodeStoredState } from './stored-state';

const json = (value: unknown) => JSON.stringify(value);

describe('the stored form of a subject state', () => {
  it('reads back the state it was written from, fields and keys in the same order', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = foldSubject(events);
        const back = decodeStoredState(encodeStoredState(state));
        expect(back).toEqual(state);
        expect(json(back)).toBe(json(state));
        expect(encodeStoredState(back)).toBe(encodeStoredState(state));
      }),
    );
  });

  it('folds on from a state read back as from the state itself', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), subjectHistoryArb(), (first, then) => {
        const state = foldSubject(first);
        const back = decodeStoredState(encodeStoredState(state));
        expect(json(then.reduce(evolveSubject, back))).toBe(
          json(then.reduce(evolveSubject, state)),
        );
      }),
    );
  });

  it('writes a record collected once as one clock, and its id only once', () => {
    const state = foldSubject([
      storedEvent(
        'LastActivity',
        '2025-01-10T08:00:00.000Z',
        {},
        {
          eventId: 'e-visit',
          personalData: [{ category: 'connection', recordKey: 'visits:2025-01' }],
        },
      ),
    ]);
    const stored = encodeStoredState(state);
    expect(stored).toContain('"visits:2025-01|connection":["2025-01-10T08:00:00.000Z","e-visit",[');
    expect(stored.match(/visits:2025-01/g)).toHaveLength(1);
    expect(stored.length).toBeLessThan(json(state).length);
  });
});
