import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ComplianceOverdueController } from './compliance-overdue/compliance-overdue.controller';
import { OverdueCommandsHandler } from './compliance-overdue/overdue-commands.handler';
import { ComplianceDeadlinesController } from './compliance-deadlines/compliance-deadlines.controller';
import { DeadlinesQueryHandler } from './compliance-deadlines/deadlines.query-handler';
import { LedgerExceptionFilter } from './errors/ledger-exception.filter';
import { AuditController } from './audit/audit.controller';
import { ComplianceErasuresController } from './compliance-erasures/compliance-erasures.controller';
import { ErasureCertificates } from '../../libs/audit/certificate/erasure-certificates';
import { AUDIT_PUBLIC_KEY, AUDIT_TREE, type AuditPublicKey } from '../../libs/audit/audit.tokens';
import { SignedCheckpoints } from '../../libs/audit/signed-checkpoints';
import type { SqliteAuditTree } from '../../libs/audit/tree-store/sqlite-audit-tree';
import { CLOCK, type Clock } from '../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../libs/event-store';
import { ArchiveReadsController } from './archive-reads/archive-reads.controller';
import { ReadArchivedRecordHandler } from './archive-reads/archive-read.handler';
import { LegalHoldsController } from './legal-holds/legal-holds.controller';
import { PlaceLegalHoldHandler, ReleaseLegalHoldHandler } from './legal-holds/legal-holds.handlers';
import { HealthController } from './health/health.controller';
import { PolicyController } from './policy/policy.controller';
import { PublishEventsController } from './publishing-events/publish-events.controller';
import { PublishEventsHandler } from './publishing-events/publish-events.handler';
import { RetentionScheduleController } from './retention-schedule/retention-schedule.controller';
import { RetentionScheduleQueryHandler } from './retention-schedule/retention-schedule.query-handler';
import {
  AcknowledgeCommandHandler,
  PendingCommandsHandler,
} from './systems/system-commands.handlers';
import { SystemsController } from './systems/systems.controller';
import { ComplianceRegisterController } from './compliance-register/compliance-register.controller';
import { ComplianceSummaryController } from './compliance-summary/compliance-summary.controller';
import { ComplianceSummaryQueryHandler } from './compliance-summary/compliance-summary.query-handler';
import { SubjectExportController } from './subject-export/subject-export.controller';
import { SubjectExportQueryHandler } from './subject-export/subject-export.query-handler';

/** HTTP only: controllers, guards, filters and the command and query handlers they call. */
@Module({
  controllers: [
    PublishEventsController,
    RetentionScheduleController,
    SubjectExportController,
    ComplianceDeadlinesController,
    ComplianceOverdueController,
    ComplianceErasuresController,
    ComplianceRegisterController,
    ComplianceSummaryController,
    SystemsController,
    PolicyController,
    LegalHoldsController,
    ArchiveReadsController,
    AuditController,
    HealthController,
  ],
  providers: [
    PublishEventsHandler,
    RetentionScheduleQueryHandler,
    SubjectExportQueryHandler,
    ComplianceSummaryQueryHandler,
    DeadlinesQueryHandler,
    OverdueCommandsHandler,
    PendingCommandsHandler,
    AcknowledgeCommandHandler,
    PlaceLegalHoldHandler,
    ReleaseLegalHoldHandler,
    ReadArchivedRecordHandler,
    {
      provide: ErasureCertificates,
      inject: [EVENT_STORE, AUDIT_TREE, SignedCheckpoints, AUDIT_PUBLIC_KEY, CLOCK],
      useFactory: (
        store: EventStore,
        tree: SqliteAuditTree,
        checkpoints: SignedCheckpoints,
        publicKey: AuditPublicKey,
        clock: Clock,
      ) => new ErasureCertificates({ store, tree, checkpoints, publicKey, clock }),
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: LedgerExceptionFilter },
  ],
})
export class ApiModule {}
