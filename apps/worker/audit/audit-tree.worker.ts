import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AuditTreeRunner } from '../../../libs/audit/audit-tree-runner';
import { AUDIT_TREE, CHECKPOINT_SCHEDULE } from '../../../libs/audit/audit.tokens';
import { CheckpointSchedule } from '../../../libs/audit/checkpoint-schedule';
import { SignedCheckpoints } from '../../../libs/audit/signed-checkpoints';
import type { SqliteAuditTree } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { logFailure } from '../log-failure';

/**
 * Keeps the audit tree level with the log and signs checkpoints on its own: every
 * LEDGER_CHECKPOINT_EVERY leaves, and every LEDGER_CHECKPOINT_INTERVAL_MS while events come
 * in. Runs where the other projections run (the worker).
 */
@Injectable()
export class AuditTreeWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('audit-tree');
  private readonly runner: AuditTreeRunner;
  private readonly schedule: CheckpointSchedule;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(AUDIT_TREE) tree: SqliteAuditTree,
    checkpoints: SignedCheckpoints,
    @Inject(CHECKPOINT_SCHEDULE) settings: { every: number; intervalMs: number },
  ) {
    this.schedule = new CheckpointSchedule(checkpoints, tree, {
      ...settings,
      onError: logFailure(this.logger, 'could not sign a checkpoint'),
      onSigned: (size, trigger) =>
        this.logger.log(`signed a checkpoint at size ${size} (${trigger})`),
    });
    this.runner = new AuditTreeRunner(store, tree, {
      onError: logFailure(this.logger, 'the audit tree failed; it will run again'),
      onAppended: (size) => this.schedule.onAppended(size),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.start();
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
    await this.schedule.stop();
  }
}
