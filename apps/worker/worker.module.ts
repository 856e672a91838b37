import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CLOCK, type Clock } from '../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../libs/event-store';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store';
import { SqliteFillThreads } from '../../libs/projections/fill/fill-threads';
import { KEY_VAULT } from '../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../libs/crypto/key-vault.port';
import { SYSTEMS_REGISTRY } from '../../libs/lifecycle/downstream/downstream.tokens';
import type { SystemsRegistry } from '../../libs/lifecycle/downstream/downstream-systems';
import { PolicyBook } from '../../libs/lifecycle/policy-book';
import { LifecycleExecutor } from '../../libs/lifecycle/saga/lifecycle-executor';
import {
  crashAt,
  LIFECYCLE_FAULTS,
  type LifecycleFaults,
} from '../../libs/lifecycle/saga/lifecycle-faults';
import { ensurePolicyVersionPublished } from '../../libs/lifecycle/policy-versions';
import { POLICY, type Policy } from '../../libs/policy';
import {
  ProjectionRunner,
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  RetentionScheduleProjection,
  type ReadStore,
} from '../../libs/projections';
import { AuditTreeWorker } from './audit/audit-tree.worker';
import { DownstreamCommands } from './downstream/downstream-commands.service';
import { LifecycleSaga } from './lifecycle/lifecycle-saga.service';
import {
  ArchiveRecordHandler,
  EraseRecordHandler,
  LIFECYCLE_EXECUTOR,
  RequestRenewalHandler,
} from './lifecycle/lifecycle.handlers';
import { SubjectContentWorker } from './subject-content/subject-content.worker';
import { SWEEP_INTERVAL_MS } from './worker.tokens';
import { logFailure } from './log-failure';

/**
 * Records the configured policy file the first time it runs (`PolicyVersionPublished`),
 * then runs the projection under the version in force, read from the log: a version
 * published ahead of its effective date takes over on that date (looked at every sweep
 * interval), as does one another process published. Stops before the stores close.
 */
@Injectable()
export class RetentionScheduleWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('retention-schedule');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY) private readonly configured: Policy,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly book: PolicyBook,
    @Inject(SWEEP_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const text = readFileSync(this.configured.file, 'utf8');
    await ensurePolicyVersionPublished(this.store, this.configured, text, this.clock);
    await this.followPolicyInForce();
    await this.runner.start();
    this.timer = setInterval(() => {
      this.followPolicyInForce().catch(
        logFailure(this.logger, 'could not read the policy in force'),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Makes the schedules follow the version in force now; nothing to do when they do. */
  async followPolicyInForce(): Promise<void> {
    const policy = (await this.book.inForce()) ?? this.configured;
    const projection = new RetentionScheduleProjection(policy);
    if (projection.settings === this.runner.projectionSettings()) return;
    this.logger.log(`following policy ${policy.version} (sha256 ${policy.sha256.slice(0, 12)})`);
    await this.runner.replaceProjection(projection);
  }

  onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    return this.runner.stop();
  }
}

/**
 * Memory bounds of the runner in the ledger (1.5-4 KB a subject state): 2,000 committed
 * states cached, and a commit every 4,000 pending states while catching up (the library's
 * defaults, 20,000 and 100,000, favour a fast rebuild; 100,000 pending states would be
 * 150-400 MB). Measured (memory-rss, 1,000,000 events about 100,000 subjects): this thread's
 * heap 77-87 MB reserved at the end, against 96 MB with 5,000 and 10,000. A rebuild writes
 * each subject more often in return.
 */
const RUNNER_MEMORY = { cacheSize: 2_000, maxPending: 4_000 };

function retentionScheduleRunner(store: EventStore, readStore: ReadStore, policy: Policy) {
  const logger = new Logger('retention-schedule');
  return new ProjectionRunner(store, readStore, new RetentionScheduleProjection(policy), {
    ...RUNNER_MEMORY,
    fillThreads: fillThreadsFor(store),
    onError: logFailure(logger, 'the projection failed; it will run again'),
    onCaughtUp: ({ checkpoint }) =>
      logger.log(`caught up with the log at ${checkpoint ?? 'its start'}`),
  });
}

/**
 * Filling the read models from nothing (a first start on an existing log, a rebuild), the
 * subjects are folded on one thread per core while this one writes: 1M events in 17 s
 * against 27 s on this thread alone (2 cores, measured). Over SQLite only: EventStoreDB
 * cannot be read stream by stream in name order.
 */
function fillThreadsFor(store: EventStore): SqliteFillThreads | undefined {
  if (!(store instanceof SqliteEventStore) || store.file === undefined) return undefined;
  return new SqliteFillThreads(store, availableParallelism());
}

function lifecycleExecutor(
  store: EventStore,
  vault: KeyVault,
  clock: Clock,
  book: PolicyBook,
  configured: Policy,
  faults: LifecycleFaults,
  systems: SystemsRegistry,
) {
  return new LifecycleExecutor({
    store,
    systems,
    vault,
    clock,
    // The version in force, as the projection follows it; the file until one is published.
    policy: async () => (await book.inForce()) ?? configured,
    faults,
  });
}

/** Projections and the lifecycle saga: no HTTP. */
@Module({
  providers: [
    {
      provide: RETENTION_SCHEDULE_RUNNER,
      inject: [EVENT_STORE, READ_STORE, POLICY],
      useFactory: retentionScheduleRunner,
    },
    RetentionScheduleWorker,
    // Tests stop the process at a crash point of a lifecycle step (LEDGER_TEST_CRASH_AT).
    { provide: LIFECYCLE_FAULTS, useFactory: () => crashAt(process.env.LEDGER_TEST_CRASH_AT) },
    {
      provide: LIFECYCLE_EXECUTOR,
      inject: [
        EVENT_STORE,
        KEY_VAULT,
        CLOCK,
        PolicyBook,
        POLICY,
        LIFECYCLE_FAULTS,
        SYSTEMS_REGISTRY,
      ],
      useFactory: lifecycleExecutor,
    },
    ArchiveRecordHandler,
    EraseRecordHandler,
    RequestRenewalHandler,
    LifecycleSaga,
    DownstreamCommands,
    AuditTreeWorker,
    SubjectContentWorker,
  ],
  exports: [RETENTION_SCHEDULE_RUNNER, LifecycleSaga, DownstreamCommands],
})
export class WorkerModule {}
