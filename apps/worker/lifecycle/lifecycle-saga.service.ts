import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { recordRefOf } from '../../../libs/domain/subjects/subject-state';
import type { LifecycleOutcome } from '../../../libs/lifecycle/saga/lifecycle-executor';
import { sweepDueDeadlines, type SweepReport } from '../../../libs/lifecycle/saga/lifecycle-sweep';
import {
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  type Deadline,
  type ProjectionProgress,
  type ReadStore,
} from '../../../libs/projections';
import { SWEEP_INTERVAL_MS } from '../worker.tokens';
import { ArchiveRecord, EraseRecord, RequestRenewal } from './lifecycle.commands';
import { logFailure } from '../log-failure';

/** How long a sweep waits for the schedules to reflect the log before it reads them. */
const CATCH_UP_WAIT_MS = 30_000;
const MAX_PASSES = 5;

/**
 * The lifecycle saga's clock: every sweep interval, once the schedules reflect the log, it
 * issues a command for every next action that is due. One sweep at a time.
 */
@Injectable()
export class LifecycleSaga implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('lifecycle-saga');
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepReport>;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly schedules: ProjectionProgress,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SWEEP_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logFailure(error));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (the timer's, or a caller's that wants it now); joins a pass under way. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Passes until one finds nothing more to do: a record late by several steps (archived,
   * then already due for erasure) goes through all of them in one sweep.
   */
  private async sweepOnce(): Promise<SweepReport> {
    let total: SweepReport = { due: 0, outcomes: {}, written: 0, failed: 0 };
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      await this.schedules.waitForHead(CATCH_UP_WAIT_MS);
      const report = await sweepDueDeadlines(this.readStore, this.clock, (d) => this.dispatch(d), {
        onError: (error) => this.logFailure(error),
      });
      total = mergeReports(total, report);
      if (report.written === 0) break;
    }
    if (total.due > 0) this.logger.log({ ...total }, `swept ${total.due} due deadline(s)`);
    return total;
  }

  private dispatch(deadline: Deadline): Promise<LifecycleOutcome> {
    const { recordKey, category } = recordRefOf(deadline.recordId);
    const args = [deadline.pseudonym, recordKey, category, deadline.dueAt] as const;
    switch (deadline.action) {
      case 'archive':
        return this.commandBus.execute(new ArchiveRecord(...args));
      case 'erase':
        return this.commandBus.execute(new EraseRecord(...args));
      case 'request-renewal':
        return this.commandBus.execute(new RequestRenewal(...args));
    }
  }

  private readonly logFailure = logFailure(
    this.logger,
    'a lifecycle step failed; the next sweep retries',
  );
}

function mergeReports(a: SweepReport, b: SweepReport): SweepReport {
  const outcomes: Record<string, number> = { ...a.outcomes };
  for (const [outcome, count] of Object.entries(b.outcomes)) {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
  }
  return {
    due: a.due + b.due,
    outcomes,
    written: a.written + b.written,
    failed: a.failed + b.failed,
  };
}
