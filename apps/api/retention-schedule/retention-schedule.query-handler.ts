import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import {
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  type ProjectionProgress,
  type ReadStore,
} from '../../../libs/projections';
import { RetentionScheduleQuery, type RetentionScheduleAnswer } from './retention-schedule.query';
import { waitForProjection } from './wait-for-projection';

/** The message names no id: the subject id is the platform's, and personal. */
const UNKNOWN_SUBJECT = 'subjectId: no subject with this id is known to the ledger';

@QueryHandler(RetentionScheduleQuery)
export class RetentionScheduleQueryHandler implements IQueryHandler<RetentionScheduleQuery> {
  constructor(
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly progress: ProjectionProgress,
  ) {}

  async execute({ subjectId }: RetentionScheduleQuery): Promise<RetentionScheduleAnswer> {
    const pseudonym = await this.vault.pseudonymOf(subjectId, { create: false });
    if (pseudonym === undefined) throw new NotFoundException(UNKNOWN_SUBJECT);
    await waitForProjection(this.progress);
    const stored = await this.readStore.schedule(pseudonym);
    if (!stored?.schedule) throw new NotFoundException(UNKNOWN_SUBJECT);
    const { policyVersion, records } = stored.schedule;
    return { subjectId, policyVersion, records };
  }
}
