import { encodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { storedEvent, TEST_SUBJECT } from '../../domain/subjects/testing/stored-event';
import type { SubjectState } from '../../domain/subjects/subject-state';
import { positionOf, type RecordedEvent } from '../../event-store';
import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { SubjectSchedule } from '../../policy/evaluate/schedule.types';
import { loadPolicyFile } from '../../policy/load-policy';
import type { SubjectReadModel } from '../read-store.port';
import { RetentionScheduleProjection } from './retention-schedule.projection';

const policy = loadPolicyFile();
const projection = new RetentionScheduleProjection(policy);

/** What the store keeps, with the schedule a read computes from the state. */
type ReadModel = SubjectReadModel & {
  readonly state: SubjectState;
  readonly schedule: SubjectSchedule;
};

function recorded(event: LedgerEventV1, index: number, streamName?: string): RecordedEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    data: encodeLedgerEvent(event),
    streamName: streamName ?? `subject-${event.subject}`,
    revision: BigInt(index),
    position: positionOf(BigInt(index + 1)),
  };
}

/** Every subject's read model after the projection saw these stored events, in order. */
function project(events: readonly RecordedEvent[]): Map<string, ReadModel> {
  const states = new Map<string, SubjectState>();
  for (const event of events) {
    const subjectEvent = projection.subjectEventOf(event);
    if (!subjectEvent) continue;
    const { pseudonym } = subjectEvent;
    states.set(pseudonym, projection.evolve(states.get(pseudonym), subjectEvent));
  }
  return new Map(
    [...states].map(([p, state]) => [
      p,
      { state, schedule: retentionSchedule(state, policy), ...projection.readModel(state) },
    ]),
  );
}

function given(...history: LedgerEventV1[]) {
  return {
    when(...events: LedgerEventV1[]) {
      const all = [...history, ...events].map((e, i) => recorded(e, i));
      const readModels = project(all);
      return {
        then(check: (readModel: ReadModel | undefined) => void, subject = TEST_SUBJECT) {
          check(readModels.get(subject));
          return JSON.stringify([...readModels]);
        },
      };
    },
  };
}

const identification = [{ category: 'identification', recordKey: 'account' }];
const created = storedEvent(
  'AccountCreated',
  '2024-03-01T10:00:00.000Z',
  { role: 'member' },
  { eventId: 'e-created', personalData: identification },
);
const active = (at: string, eventId: string) => storedEvent('LastActivity', at, {}, { eventId });

const platformAccess = (model: ReadModel | undefined) =>
  model?.schedule.records
    .find((r) => r.recordKey === 'account' && r.category === 'identification')
    ?.purposes.find((p) => p.purpose === 'platform-access');

describe('the retention-schedule projection', () => {
  it('schedules an account from its creation (the spec example)', () => {
    given()
      .when(created)
      .then((model) => {
        expect(model?.schedule.policyVersion).toBe('2023-01-24');
        expect(platformAccess(model)).toMatchObject({
          activeUntil: '2026-03-01T10:00:00.000Z',
          archiveUntil: '2031-03-01T10:00:00.000Z',
          because: [
            { clock: 'lastActivity', at: '2024-03-01T10:00:00.000Z', eventId: 'e-created' },
          ],
        });
      });
  });

  it('moves the deadlines with a later activity, and indexes each next action', () => {
    given(created)
      .when(active('2025-01-10T08:00:00.000Z', 'e-active'))
      .then((model) => {
        expect(platformAccess(model)).toMatchObject({
          activeUntil: '2027-01-10T08:00:00.000Z',
          because: [{ clock: 'lastActivity', eventId: 'e-active' }],
        });
        const [record] = model!.schedule.records;
        expect(model!.purposePhases).toEqual(
          record.purposes
            .map(({ purpose }) => ({ purpose, phase: 'active', records: 1 }))
            .sort((x, y) => x.purpose.localeCompare(y.purpose)),
        );
        expect(model!.deadlines).toEqual([
          {
            pseudonym: TEST_SUBJECT,
            recordId: 'account|identification',
            action: record.nextAction!.action,
            dueAt: record.nextAction!.dueAt,
          },
        ]);
      });
  });

  it('ignores an activity older than the last one', () => {
    const later = active('2025-01-10T08:00:00.000Z', 'e-active');
    const expected = given(created)
      .when(later)
      .then(() => undefined);
    const withOlder = given(created, later)
      .when(active('2024-09-01T08:00:00.000Z', 'e-older'))
      .then(() => undefined);
    expect(withOlder).toBe(expected);
  });

  it('applied twice: no change', () => {
    const history = [created, active('2025-01-10T08:00:00.000Z', 'e-active')];
    const once = given(...history)
      .when()
      .then(() => undefined);
    for (const event of history) {
      expect(
        given(...history)
          .when(event)
          .then(() => undefined),
      ).toBe(once);
    }
  });

  it('keeps subjects apart, and skips events that are about no subject', () => {
    const other = storedEvent(
      'AccountCreated',
      '2024-05-01T10:00:00.000Z',
      { role: 'client' },
      {
        subject: 'ps-0002',
        personalData: identification,
      },
    );
    const models = project([
      recorded(created, 0),
      recorded(other, 1),
      recorded({ ...created, eventId: 'e-ledger', subject: undefined }, 2, 'ledger-policy'),
    ]);
    expect([...models.keys()]).toEqual([TEST_SUBJECT, 'ps-0002']);
    expect(models.get('ps-0002')!.deadlines.every((d) => d.pseudonym === 'ps-0002')).toBe(true);
  });

  it('drops the deadline of an erased record', () => {
    const erased = storedEvent('RecordErased', '2031-03-01T10:00:00.000Z', {
      recordKey: 'account',
      category: 'identification',
      policyVersion: '2023-01-24',
      purposes: ['platform-access'],
      dueAt: '2031-03-01T10:00:00.000Z',
      because: ['e-created'],
      keyFingerprint: 'ab'.repeat(32),
    });
    given(created)
      .when(erased)
      .then((model) => {
        expect(model!.schedule.records[0]).toMatchObject({ phase: 'erased', nextAction: null });
        expect(model!.deadlines).toEqual([]);
        expect(model!.purposePhases).toContainEqual({
          purpose: 'platform-access',
          phase: 'erased',
          records: 1,
        });
      });
  });
});
