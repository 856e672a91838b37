import fc from 'fast-check';
import { evolveSubject } from '../../domain/subjects/evolve-subject';
import { initialSubjectState } from '../../domain/subjects/subject-state';
import { roleOf } from '../../domain/subjects/role-of';
import {
  shuffledArb,
  subjectHistoryArb,
  TEST_SUBJECT,
} from '../../domain/subjects/testing/arbitraries';
import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import { loadPolicyFile } from '../load-policy';
import { recordRetentionSchedule, retentionSchedule } from './retention-schedule';

const policy = loadPolicyFile();
// More runs than fast-check's 100: rare histories (an archive before a late activity) matter.
fc.configureGlobal({ numRuns: 300 });
const scheduleOf = (events: readonly LedgerEventV1[]) =>
  retentionSchedule(events.reduce(evolveSubject, initialSubjectState(TEST_SUBJECT)), policy);

const kindOf = (recordKey: string) => recordKey.split(':')[0];
const RENEWAL_CLOCKS = new Set(['renewalRequested', 'renewalAccepted', 'renewalRefused']);

describe('retention schedules of random histories (2023-01-24 policy)', () => {
  it("one record's schedule is its entry of the subject's, and none for a record it lacks", () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = events.reduce(evolveSubject, initialSubjectState(TEST_SUBJECT));
        for (const record of retentionSchedule(state, policy).records) {
          const id = `${record.recordKey}|${record.category}`;
          expect(recordRetentionSchedule(state, policy, id)).toEqual(record);
        }
        expect(recordRetentionSchedule(state, policy, 'nothing|identification')).toBeUndefined();
        expect(recordRetentionSchedule(state, policy, 'toString')).toBeUndefined();
      }),
    );
  });

  it('a record no purpose keeps is due for erasure from its collection', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = events.reduce(evolveSubject, initialSubjectState(TEST_SUBJECT));
        for (const record of retentionSchedule(state, policy).records) {
          if (record.purposes.length > 0) continue;
          // Nothing justifies keeping it (no purpose for its kind, or none for this role):
          // the policy's gap must not become indefinite retention.
          const collected = state.records[`${record.recordKey}|${record.category}`].collectedAt.at;
          expect(record.activeUntil).toBe(collected);
          if (record.phase === 'active')
            expect(record.nextAction).toEqual({ action: 'erase', dueAt: collected });
        }
      }),
    );
  });

  it('every record has a purpose exactly when the policy names its kind, category and the subject role', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        const state = events.reduce(evolveSubject, initialSubjectState(TEST_SUBJECT));
        const role = roleOf(state);
        for (const record of retentionSchedule(state, policy).records) {
          const kind = kindOf(record.recordKey);
          const named = policy.purposes.some(
            (p) =>
              p.records.includes(kind) &&
              (p.categories.length === 0 || p.categories.includes(record.category)) &&
              p.rules.some((r) => (r.roles as readonly string[]).includes(role)),
          );
          expect({
            record: `${record.recordKey}|${record.category}`,
            role,
            kept: record.purposes.length > 0,
          }).toEqual({
            record: `${record.recordKey}|${record.category}`,
            role,
            kept: named,
          });
        }
      }),
    );
  });

  it("a record's activeUntil is the latest of its purposes' (null while any is unknown)", () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        for (const record of scheduleOf(events).records) {
          if (record.purposes.length === 0) continue;
          const dates = record.purposes.map((p) => p.activeUntil);
          const expected = dates.includes(null) ? null : [...(dates as string[])].sort().at(-1);
          expect(record.activeUntil).toBe(expected);
        }
      }),
    );
  });

  it('shuffling the arrival order changes nothing', () => {
    fc.assert(
      fc.property(
        subjectHistoryArb().chain((events) => fc.tuple(fc.constant(events), shuffledArb(events))),
        ([events, shuffled]) => {
          expect(JSON.stringify(scheduleOf(shuffled))).toBe(JSON.stringify(scheduleOf(events)));
        },
      ),
    );
  });

  it('no deadline precedes the clock that starts it, and an archive follows its active period', () => {
    fc.assert(
      fc.property(subjectHistoryArb(), (events) => {
        for (const record of scheduleOf(events).records) {
          for (const purpose of record.purposes) {
            if (purpose.activeUntil === null) continue;
            for (const because of purpose.because) {
              if (RENEWAL_CLOCKS.has(because.clock)) continue;
              expect(purpose.activeUntil >= because.at).toBe(true);
            }
            if (purpose.archiveUntil !== undefined)
              expect(purpose.archiveUntil >= purpose.activeUntil).toBe(true);
          }
        }
      }),
    );
  });
});
