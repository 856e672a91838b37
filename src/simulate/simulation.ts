import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { PublishEventsCommand } from '../../apps/api/publishing-events/publish-events.command';
import { LifecycleSaga } from '../../apps/worker/lifecycle/lifecycle-saga.service';
import { KEY_VAULT } from '../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../libs/crypto/key-vault.port';
import { FixedClock } from '../../libs/domain/clock';
import { decodeLedgerEvent } from '../../libs/domain/events/ledger-event';
import { EVENT_STORE, type EventStore, type LogPosition } from '../../libs/event-store';
import { PolicyBook } from '../../libs/lifecycle/policy-book';
import { POLICY, type Policy } from '../../libs/policy';
import { READ_STORE, storedSchedule, type ReadStore } from '../../libs/projections';
import { readConfig } from '../config/ledger-config';
import { LedgerModule } from '../ledger.module';
import type { HistoryEvent } from './history-file';
import { formatFact, sagaFact, type SagaFact } from './simulation-report';

const DAY_MS = 86_400_000;

export interface SimulationOptions {
  readonly events: readonly HistoryEvent[];
  readonly until: Date;
  /** The policy file; the bundled one when absent. */
  readonly policyFile?: string;
  readonly out: (line: string) => void;
}

export interface SimulationResult {
  readonly facts: readonly SagaFact[];
  readonly published: number;
  /** Events dated after `until`: not replayed. */
  readonly skipped: number;
  /** Lifecycle steps that failed (each retried at the next sweep). */
  readonly failed: number;
}

/**
 * Replays a history into a scratch ledger (memory log, memory vault and read models: the
 * data folder of a real ledger is never opened) on a simulated clock. Each event is published
 * through the same command as `POST /v1/events` when the clock reaches its `occurredAt`, after
 * a sweep at that instant; between events the saga sweeps every midnight until `until`. What
 * the saga wrote is read back from the log and printed, one fact per line, then a summary.
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const events = [...options.events].sort(
    (a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.line - b.line,
  );
  const untilMs = options.until.getTime();
  const replayed = events.filter((e) => Date.parse(e.event.occurredAt) <= untilMs);
  const start = startOfDay(
    Date.parse(replayed[0]?.event.occurredAt ?? options.until.toISOString()),
  );
  const clock = new FixedClock(new Date(start));
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-simulate-'));
  const app = await NestFactory.createApplicationContext(
    LedgerModule.forRoot({
      config: readConfig({
        LEDGER_STORE: 'memory',
        // Nothing is written for the memory store; a scratch folder all the same, so that no
        // path of a real ledger is ever named.
        LEDGER_DATA_DIR: scratch,
        LEDGER_SWEEP_INTERVAL_MS: '86400000',
        ...(options.policyFile ? { LEDGER_POLICY: options.policyFile } : {}),
        LEDGER_LOG_LEVEL: 'warn',
        LEDGER_AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
      }),
      secrets: {
        apiKeys: `admin=${randomBytes(24).toString('hex')}`,
        masterKey: randomBytes(32).toString('base64'),
      },
      clock,
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    }),
    { logger: false },
  );
  try {
    const run = new SimulationRun(
      app.get(CommandBus),
      app.get(LifecycleSaga),
      app.get(EVENT_STORE),
      app.get(KEY_VAULT),
      app.get(READ_STORE),
      policyInForce(app.get(PolicyBook), app.get<Policy>(POLICY)),
      clock,
      options.out,
    );
    let next = 0;
    for (let day = start; day <= untilMs; day += DAY_MS) {
      for (
        ;
        next < replayed.length && Date.parse(replayed[next].event.occurredAt) < day + DAY_MS;
        next++
      ) {
        await run.sweepAt(Date.parse(replayed[next].event.occurredAt));
        await run.publish(replayed[next]);
      }
      await run.sweepAt(Math.min(day + DAY_MS, untilMs));
    }
    return {
      facts: run.facts,
      published: replayed.length,
      skipped: events.length - replayed.length,
      failed: run.failed,
    };
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The scratch ledger as the simulation drives it. */
class SimulationRun {
  readonly facts: SagaFact[] = [];
  failed = 0;
  private readonly subjectIds = new Map<string, string>();
  private seen?: LogPosition;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly saga: LifecycleSaga,
    private readonly store: EventStore,
    private readonly vault: KeyVault,
    private readonly readStore: ReadStore,
    private readonly policy: () => Promise<Policy>,
    private readonly clock: FixedClock,
    private readonly out: (line: string) => void,
  ) {}

  async publish({ event }: HistoryEvent): Promise<void> {
    await this.commandBus.execute(new PublishEventsCommand([event]));
    // Known now, before an erasure makes the vault forget it.
    const pseudonym = await this.vault.pseudonymOf(event.subjectId, { create: false });
    if (pseudonym) this.subjectIds.set(pseudonym, event.subjectId);
  }

  async sweepAt(instant: number): Promise<void> {
    if (instant < this.clock.now().getTime()) return;
    this.clock.set(new Date(instant));
    const report = await this.saga.sweep();
    this.failed += report.failed;
    if (report.written > 0) await this.tellNewFacts();
  }

  private async tellNewFacts(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.seen, maxCount: 1000 });
      if (batch.length === 0) return;
      this.seen = batch.at(-1)!.position;
      for (const recorded of batch) {
        const event = decodeLedgerEvent(recorded.data);
        if (event.source !== 'ledger' || event.subject === undefined) continue;
        const purposes = await this.purposesOf(event.subject);
        const fact = sagaFact(
          event,
          this.subjectIds.get(event.subject) ?? event.subject,
          (recordKey, category) => purposes.get(`${recordKey}|${category}`) ?? [],
        );
        if (fact === undefined) continue;
        this.facts.push(fact);
        this.out(formatFact(fact));
      }
    }
  }

  private async purposesOf(pseudonym: string): Promise<Map<string, readonly string[]>> {
    const schedule = await storedSchedule(this.readStore, await this.policy(), pseudonym);
    return new Map(
      (schedule?.records ?? []).map((r) => [
        `${r.recordKey}|${r.category}`,
        r.purposes.map((p) => p.purpose),
      ]),
    );
  }
}

/** The policy the ledger's saga and projection follow: the version in force, else the configured one. */
function policyInForce(book: PolicyBook, configured: Policy): () => Promise<Policy> {
  return async () => (await book.inForce()) ?? configured;
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
