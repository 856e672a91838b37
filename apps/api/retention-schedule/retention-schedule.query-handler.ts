import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import {
  COMMAND_STORE,
  SYSTEMS_REGISTRY,
} from '../../../libs/lifecycle/downstream/downstream.tokens';
import type { SystemsRegistry } from '../../../libs/lifecycle/downstream/downstream-systems';
import {
  isFullyErased,
  recordDownstream,
} from '../../../libs/lifecycle/downstream/record-downstream';
import type { SqliteCommandStore } from '../../../libs/lifecycle/downstream/sqlite-command-store';
import type { RecordSchedule } from '../../../libs/policy/evaluate/schedule.types';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { PolicyBook } from '../../../libs/lifecycle/policy-book';
import { POLICY, type Policy } from '../../../libs/policy';
import {
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  type ProjectionProgress,
  type ReadStore,
  storedSchedule,
} from '../../../libs/projections';
import {
  RetentionScheduleQuery,
  type RecordScheduleAnswer,
  type RetentionScheduleAnswer,
} from './retention-schedule.query';
import { waitForProjection } from './wait-for-projection';

/** The message names no id: the subject id is the platform's, and personal. */
const UNKNOWN_SUBJECT = 'subjectId: no subject with this id is known to the ledger';

@QueryHandler(RetentionScheduleQuery)
export class RetentionScheduleQueryHandler implements IQueryHandler<RetentionScheduleQuery> {
  constructor(
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_STORE) private readonly commands: SqliteCommandStore,
    @Inject(SYSTEMS_REGISTRY) private readonly systems: SystemsRegistry,
    @Inject(POLICY) private readonly configured: Policy,
    private readonly book: PolicyBook,
  ) {}

  async execute({ subjectId }: RetentionScheduleQuery): Promise<RetentionScheduleAnswer> {
    const pseudonym = await this.vault.pseudonymOf(subjectId, { create: false });
    if (pseudonym === undefined) throw new NotFoundException(UNKNOWN_SUBJECT);
    await waitForProjection(this.progress);
    const policy = (await this.book.inForce()) ?? this.configured;
    const schedule = await storedSchedule(this.readStore, policy, pseudonym);
    if (!schedule) throw new NotFoundException(UNKNOWN_SUBJECT);
    const { policyVersion, records } = schedule;
    return { subjectId, policyVersion, records: await this.withDownstream(pseudonym, records) };
  }

  /**
   * Adds what the downstream systems were told about each record, and whether an erased
   * record is fully erased (every system holding its category acknowledged). Nothing to add,
   * and nothing read, when no system is configured.
   */
  private async withDownstream(
    pseudonym: string,
    records: readonly RecordSchedule[],
  ): Promise<RecordScheduleAnswer[]> {
    if (this.systems.systems.length === 0) return [...records];
    await this.commands.catchUp(this.store);
    const rows = this.commands.ofSubject(pseudonym);
    return records.map((record) => {
      const mine = rows.filter(
        (r) => r.recordKey === record.recordKey && r.category === record.category,
      );
      return {
        ...record,
        ...(mine.length > 0 ? { downstream: recordDownstream(mine) } : {}),
        ...(record.phase === 'erased'
          ? { fullyErased: isFullyErased(record.phase, record.category, mine, this.systems) }
          : {}),
      };
    });
  }
}
