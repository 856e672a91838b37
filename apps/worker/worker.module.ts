import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { CLOCK, type Clock } from '../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../libs/event-store';
import { ensurePolicyVersionPublished } from '../../libs/lifecycle/policy-versions';
import { POLICY, type Policy } from '../../libs/policy';
import {
  ProjectionRunner,
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  RetentionScheduleProjection,
  type ReadStore,
} from '../../libs/projections';

/**
 * Records the policy version in force the first time it runs (`PolicyVersionPublished`),
 * then starts the projection; stops it before the stores close.
 */
@Injectable()
class RetentionScheduleWorker implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const text = readFileSync(this.policy.file, 'utf8');
    await ensurePolicyVersionPublished(this.store, this.policy, text, this.clock);
    await this.runner.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.runner.stop();
  }
}

/**
 * Memory bounds of the runner in the ledger (1.5-4 KB a subject state): 5,000 committed
 * states cached, and a commit every 10,000 pending states while catching up (the library's
 * defaults, 20,000 and 100,000, favour a fast rebuild). Measured after 60,000 events about
 * 100,000 subjects: this thread's live heap 34 MB instead of 54 MB, and 100,000 pending
 * states would be 150-400 MB. A rebuild writes each subject more often in return.
 */
const RUNNER_MEMORY = { cacheSize: 5_000, maxPending: 10_000 };

function retentionScheduleRunner(store: EventStore, readStore: ReadStore, policy: Policy) {
  const logger = new Logger('retention-schedule');
  return new ProjectionRunner(store, readStore, new RetentionScheduleProjection(policy), {
    ...RUNNER_MEMORY,
    // By type and code only: an error's message could quote anything.
    onError: (error) => {
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      logger.error({ errorType: name, code }, 'the projection failed; it will run again');
    },
    onCaughtUp: ({ checkpoint }) =>
      logger.log(`caught up with the log at ${checkpoint ?? 'its start'}`),
  });
}

/** Projections (and, as it comes, the lifecycle saga): no HTTP. */
@Module({
  providers: [
    {
      provide: RETENTION_SCHEDULE_RUNNER,
      inject: [EVENT_STORE, READ_STORE, POLICY],
      useFactory: retentionScheduleRunner,
    },
    RetentionScheduleWorker,
  ],
  exports: [RETENTION_SCHEDULE_RUNNER],
})
export class WorkerModule {}
