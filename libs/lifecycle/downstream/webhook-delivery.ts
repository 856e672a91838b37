import type { Clock } from '../../domain/clock';
import type { EventStore } from '../../event-store';
import type { KeyVault } from '../../crypto/key-vault.port';
import type { LifecycleFaults } from '../saga/lifecycle-faults';
import { acknowledgeCommand, deadLetterCommand } from './command-events';
import {
  COMMAND_ID_HEADER,
  retryDelayMs,
  SIGNATURE_HEADER,
  signCommand,
  TIMESTAMP_HEADER,
} from './downstream-commands';
import type { DownstreamSystem, SystemsRegistry, WebhookDelivery } from './downstream-systems';
import type { CommandRow, SqliteCommandStore } from './sqlite-command-store';

/** What a POST came to: a status, or why there was none. */
export type PostOutcome = { readonly status: number } | { readonly error: 'timeout' | 'network' };
export type PostJson = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<PostOutcome>;

export interface DeliveryDeps {
  readonly store: EventStore;
  readonly commands: SqliteCommandStore;
  readonly registry: SystemsRegistry;
  /** The ledger's clock: when a command was acknowledged or given up. */
  readonly clock: Clock;
  /**
   * Wall-clock milliseconds, for the retry schedule and the signed timestamp: delivery runs
   * in real time even when the ledger's clock is simulated.
   */
  readonly wallClock: () => number;
  readonly faults: LifecycleFaults;
  /** Turns the pseudonym back into the platform id the system knows the subject by. */
  readonly vault: Pick<KeyVault, 'subjectIdOf'>;
  readonly post?: PostJson;
  readonly random?: () => number;
}

export interface DeliveryReport {
  readonly tried: number;
  readonly acknowledged: number;
  readonly failed: number;
  readonly deadLettered: number;
}

const PAGE = 100;
const PARALLEL = 8;
const TIMEOUT_MS = 10_000;

export function webhookSystems(registry: SystemsRegistry): DownstreamSystem[] {
  return registry.systems.filter((s) => s.delivery.kind === 'webhook');
}

/**
 * POSTs every issued command whose next try has come to its system's webhook: a 2xx is the
 * acknowledgement; anything else is tried again after a jittered exponential backoff, and
 * after `maxTries` the command is dead-lettered (an event: it stays overdue, a person acts).
 * The try is counted before the request goes, and the acknowledgement written after the
 * answer: a crash in between sends it again, and the receiver dedupes by command id.
 */
export async function deliverDueWebhooks(deps: DeliveryDeps): Promise<DeliveryReport> {
  const systems = webhookSystems(deps.registry);
  const report = { tried: 0, acknowledged: 0, failed: 0, deadLettered: 0 };
  if (systems.length === 0) return report;
  const ids = systems.map((s) => s.id);
  // One try per command per call: a retry whose jittered delay came out near zero waits
  // for the next call (the caller's retry timer), rather than hammering the receiver now.
  const triedNow = new Set<string>();
  for (;;) {
    const due = deps.commands
      .dueTries(ids, deps.wallClock(), PAGE)
      .filter((row) => !triedNow.has(row.commandId));
    if (due.length === 0) return report;
    for (const row of due) triedNow.add(row.commandId);
    let next = 0;
    const workers = Array.from({ length: Math.min(PARALLEL, due.length) }, async () => {
      while (next < due.length) {
        const row = due[next++];
        const system = systems.find((s) => s.id === row.system)!;
        const outcome = await tryOnce(deps, row, system.delivery as WebhookDelivery);
        report.tried++;
        report[outcome]++;
      }
    });
    await Promise.all(workers);
  }
}

async function tryOnce(
  deps: DeliveryDeps,
  row: CommandRow,
  webhook: WebhookDelivery,
): Promise<'acknowledged' | 'failed' | 'deadLettered'> {
  const tries = row.tries + 1;
  const now = deps.wallClock();
  const delay = retryDelayMs(tries, webhook.backoffFirstMs, webhook.backoffMaxMs, deps.random);
  deps.commands.recordTry(row.commandId, tries, now + delay);

  const body = JSON.stringify(await commandToSend(row, deps.vault));
  const timestamp = String(Math.floor(now / 1000));
  const outcome = await (deps.post ?? postJson)(
    webhook.url,
    {
      [COMMAND_ID_HEADER]: row.commandId,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signCommand(webhook.secret, timestamp, body),
    },
    body,
  );
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
    deps.faults.reached('webhook-sent');
    await acknowledgeCommand(deps, row, 'webhook');
    return 'acknowledged';
  }
  const error = 'status' in outcome ? `http-${outcome.status}` : outcome.error;
  deps.commands.recordError(row.commandId, error);
  if (tries < webhook.maxTries) return 'failed';
  await deadLetterCommand(deps, row, tries, error);
  return 'deadLettered';
}

/**
 * What the system is sent (webhook body and pull list alike): the command as `CommandIssued`
 * holds it, and the platform's id of the subject, read from the vault now since the log
 * never holds it (null once the link is forgotten: a command issued again after that, to a
 * system added to the registry later).
 */
export async function commandToSend(row: CommandRow, vault: Pick<KeyVault, 'subjectIdOf'>) {
  const subjectId = await vault.subjectIdOf(row.subject);
  return {
    commandId: row.commandId,
    system: row.system,
    action: row.action,
    subjectId: subjectId ?? null,
    subject: row.subject,
    recordKey: row.recordKey,
    category: row.category,
    factEventId: row.factEventId,
    issuedAt: row.issuedAt,
    dueBy: row.dueBy,
  };
}

async function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The body is not read into anything: a receiver's answer could quote anything.
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    const name = (error as { name?: string }).name;
    return { error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' };
  }
}
