import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AUDIT_TREE } from '../../../libs/audit/audit.tokens';
import type { SqliteAuditTree } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { waitForTreeHead } from '../../../libs/audit/tree-progress';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import {
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  type ProjectionProgress,
  type ReadStore,
} from '../../../libs/projections';
import { PROJECTION_WAIT_MS, waitForProjection } from '../retention-schedule/wait-for-projection';
import type { ComplianceSummaryDto } from './compliance-summary.response.dto';

const DAY_MS = 24 * 60 * 60 * 1000;
const WINDOW_DAYS = 30;

export class ComplianceSummaryQuery extends Query<ComplianceSummaryDto> {}

/**
 * What a data-protection officer looks at first, from indexes only: the schedules (records
 * per purpose and phase), the audit tree's index of lifecycle actions by time (the last 30
 * days) and the deadlines index (the next 30). "Now" is the ledger's clock.
 */
@QueryHandler(ComplianceSummaryQuery)
export class ComplianceSummaryQueryHandler implements IQueryHandler<ComplianceSummaryQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly progress: ProjectionProgress,
    @Inject(AUDIT_TREE) private readonly tree: SqliteAuditTree,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute(): Promise<ComplianceSummaryDto> {
    await waitForProjection(this.progress);
    if (!(await waitForTreeHead(this.store, this.tree, PROJECTION_WAIT_MS))) {
      throw new ServiceUnavailableException(
        'the audit tree is catching up with the log; try again in a few seconds',
      );
    }
    const now = this.clock.now();
    const at = now.toISOString();
    const since = new Date(now.getTime() - WINDOW_DAYS * DAY_MS).toISOString();
    const until = new Date(now.getTime() + WINDOW_DAYS * DAY_MS).toISOString();

    const recordsByPurpose: ComplianceSummaryDto['recordsByPurpose'] = {};
    for (const { purpose, phase, records } of await this.readStore.recordsByPurposeAndPhase()) {
      recordsByPurpose[purpose] ??= { active: 0, archived: 0, erased: 0 };
      recordsByPurpose[purpose][phase as 'active' | 'archived' | 'erased'] = records;
    }
    const done = this.tree.countFacts(since, at);
    const due = Object.fromEntries(
      (await this.readStore.dueBetween(at, until)).map((d) => [d.action, d.records]),
    );
    return {
      at,
      recordsByPurpose,
      last30Days: {
        from: since,
        to: at,
        archived: done.RecordArchived ?? 0,
        erased: done.RecordErased ?? 0,
        erasureDeferred: done.ErasureDeferred ?? 0,
        renewalRequested: done.RenewalRequested ?? 0,
      },
      next30Days: {
        from: at,
        to: until,
        archive: due.archive ?? 0,
        erase: due.erase ?? 0,
        requestRenewal: due['request-renewal'] ?? 0,
      },
    };
  }
}
