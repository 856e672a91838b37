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

function retentionScheduleRunner(store: EventStore, readStore: ReadStore, policy: Policy) {
  const logger = new Logger('retention-schedule');
  return new ProjectionRunner(store, readStore, new RetentionScheduleProjection(policy), {
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
