import fc from 'fast-check';
import { canonicalSubjectState } from './canonical-subject-state';
import { compareClocks } from './clock-order';
import { evolveSubject } from './evolve-subject';
import type { ClockValue } from './subject-state';
import { shuffledArb, subjectHistoryArb } from './testing/arbitraries';
import { foldSubject } from './testing/given';

const json = (value: unknown) => JSON.stringify(value);

/** A history, and the same events in another order. */
const permutedHistoryArb = subjectHistoryArb().chain((events) =>
  fc.tuple(fc.constant(events), shuffledArb(events)),
);

describe('evolveSubject: properties over random histories', () => {
  it('folds any order of the same events to the same bytes', () => {
    fc.assert(
      fc.property(permutedHistoryArb, ([events, permuted]) => {
        expect(json(foldSubject(permuted))).toBe(json(foldSubject(events)));
      }),
    );
  });

  it('changes nothing when an event already applied is applied again', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        let state = foldSubject([]);
        for (const event of events) {
          const once = evolveSubject(state, event);
          expect(json(evolveSubject(once, event))).toBe(json(once));
          state = once;
        }
        for (const event of events) expect(json(evolveSubject(state, event))).toBe(json(state));
      }),
    );
  });

  it('returns states already in canonical form', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = foldSubject(events);
        expect(json(canonicalSubjectState(state))).toBe(json(state));
      }),
    );
  });

  it('collects every record first no later than last', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        for (const record of Object.values(foldSubject(events).records)) {
          expect(compareClocks(record.collectedAt, record.lastCollectedAt)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('finds the last activity no earlier than the account creation', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const { accountCreated, lastActivity } = foldSubject(events).clocks;
        if (accountCreated && lastActivity) {
          expect(compareClocks(accountCreated, lastActivity)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('agrees with a direct reading of the history for the subject clocks', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const of = (...types: string[]): ClockValue[] =>
          events
            .filter((event) => types.includes(event.type))
            .map((event) => ({ at: event.occurredAt, eventId: event.eventId }))
            .sort(compareClocks);
        const { clocks } = foldSubject(events);
        expect(clocks.accountCreated).toEqual(of('AccountCreated')[0]);
        expect(clocks.accountClosed).toEqual(of('AccountClosed')[0]);
        expect(clocks.lastContact).toEqual(of('ContactMade', 'ProspectRegistered').at(-1));
      }),
    );
  });

  it('knows when the contracts ended only once every signed one has ended', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = foldSubject(events);
        const contracts = Object.values(state.contracts);
        const running = contracts.some((contract) => contract.signed && !contract.ended);
        const ended = contracts.some((contract) => contract.ended);
        expect(state.clocks.contractsEnded !== undefined).toBe(ended && !running);
      }),
    );
  });
});
