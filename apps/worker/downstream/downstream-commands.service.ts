import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { forgetKeptLinks } from '../../../libs/lifecycle/downstream/forget-kept-links';
import { issueOwedCommands } from '../../../libs/lifecycle/downstream/command-issuer';
import type { SystemsRegistry } from '../../../libs/lifecycle/downstream/downstream-systems';
import {
  COMMAND_STORE,
  SYSTEMS_REGISTRY,
} from '../../../libs/lifecycle/downstream/downstream.tokens';
import type { SqliteCommandStore } from '../../../libs/lifecycle/downstream/sqlite-command-store';
import {
  deliverDueWebhooks,
  webhookSystems,
  type DeliveryReport,
} from '../../../libs/lifecycle/downstream/webhook-delivery';
import {
  LIFECYCLE_FAULTS,
  type LifecycleFaults,
} from '../../../libs/lifecycle/saga/lifecycle-faults';
import { SWEEP_INTERVAL_MS } from '../worker.tokens';
import { logFailure } from '../log-failure';

export interface DownstreamStepReport extends DeliveryReport {
  readonly issued: number;
  /** Links to the platform id forgotten now that every system has acknowledged. */
  readonly linksForgotten: number;
}

/** Retries sooner than this are folded into one wake-up. */
const MIN_WAIT_MS = 10;

/**
 * Tells the downstream systems what the saga did: every sweep interval (and when the next
 * webhook retry is due, if sooner) it issues the commands the log owes, sends the
 * webhooks whose time has come, and forgets the links to the platform id that no system
 * needs any more. One step at a time.
 */
@Injectable()
export class DownstreamCommands implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('downstream');
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private running?: Promise<DownstreamStepReport>;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_STORE) private readonly commands: SqliteCommandStore,
    @Inject(SYSTEMS_REGISTRY) private readonly registry: SystemsRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(LIFECYCLE_FAULTS) private readonly faults: LifecycleFaults,
    @Inject(SWEEP_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.registry.systems.length === 0) return;
    this.timer = setInterval(() => this.stepLogged(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
  }

  /** One step (the timer's, or a caller's that wants it now); joins a step under way. */
  step(): Promise<DownstreamStepReport> {
    this.running ??= this.stepOnce().finally(() => {
      this.running = undefined;
      this.scheduleRetry();
    });
    return this.running;
  }

  private async stepOnce(): Promise<DownstreamStepReport> {
    const deps = {
      store: this.store,
      commands: this.commands,
      registry: this.registry,
      clock: this.clock,
      vault: this.vault,
      faults: this.faults,
    };
    const issued = await issueOwedCommands(deps);
    const delivery = await deliverDueWebhooks({ ...deps, wallClock: Date.now });
    const linksForgotten = await forgetKeptLinks(deps);
    const report = { issued, ...delivery, linksForgotten };
    if (issued > 0 || delivery.tried > 0 || linksForgotten > 0) {
      this.logger.log({ ...report }, 'downstream commands');
    }
    return report;
  }

  /** Wakes up for the next webhook retry when it comes before the next interval. */
  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    const at = this.commands.nextTryAt(webhookSystems(this.registry).map((s) => s.id));
    if (at === undefined) return;
    const wait = Math.max(MIN_WAIT_MS, at - Date.now());
    if (wait >= this.intervalMs) return;
    this.retryTimer = setTimeout(() => this.stepLogged(), wait);
    this.retryTimer.unref();
  }

  private stepLogged(): void {
    this.step().catch(logFailure(this.logger, 'a downstream step failed; the next one retries'));
  }
}
