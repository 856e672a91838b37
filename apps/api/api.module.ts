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
import { RightsRequestsController } from './rights-requests/rights-requests.controller';
import {
  HandleRightsRequestHandler,
  RIGHTS_EXECUTOR,
} from './rights-requests/rights-request.handler';
import { KEY_VAULT } from '../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../libs/crypto/key-vault.port';
import { SYSTEMS_REGISTRY } from '../../libs/lifecycle/downstream/downstream.tokens';
import type { SystemsRegistry } from '../../libs/lifecycle/downstream/downstream-systems';
import { PolicyBook } from '../../libs/lifecycle/policy-book';
import { LifecycleExecutor } from '../../libs/lifecycle/saga/lifecycle-executor';
import { crashAt } from '../../libs/lifecycle/saga/lifecycle-faults';
import { POLICY, type Policy } from '../../libs/policy';

/**
 * The saga's own step, for the rights requests the API answers at once: an erasure the
 * request made due runs exactly as the sweep would run it (keys destroyed before
 * `RecordErased`, the same deterministic ids), whichever process gets there first.
 */
function rightsExecutor(
  store: EventStore,
  vault: KeyVault,
  clock: Clock,
  book: PolicyBook,
  configured: Policy,
  systems: SystemsRegistry,
) {
  return new LifecycleExecutor({
    store,
    systems,
    vault,
    clock,
    policy: async () => (await book.inForce()) ?? configured,
    // Tests stop the process at a crash point of the step (LEDGER_TEST_CRASH_AT).
    faults: crashAt(process.env.LEDGER_TEST_CRASH_AT),
  });
}

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
    RightsRequestsController,
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
    HandleRightsRequestHandler,
    {
      provide: RIGHTS_EXECUTOR,
      inject: [EVENT_STORE, KEY_VAULT, CLOCK, PolicyBook, POLICY, SYSTEMS_REGISTRY],
      useFactory: rightsExecutor,
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: LedgerExceptionFilter },
  ],
})
export class ApiModule {}
