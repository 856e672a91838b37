import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeLedgerEvent, type LedgerEventV1 } from '../libs/domain/events/ledger-event';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { KEYS } from './support/ledger-harness';
import { startLedgerProcess } from './support/ledger-process';
import { exited } from './support/typescript-process';
import { startWebhookReceiver } from './support/webhook-receiver';

const SECRET = 'crm-secret-0123456789abcdef0123456789';

/**
 * `kill -9` of the ledger after a downstream system answered a webhook 2xx and before the
 * ledger wrote `CommandAcknowledged`: after a restart the command is sent again (same id:
 * the receiver dedupes) and acknowledged once; nothing is issued twice.
 */
describe('a webhook killed after it was sent', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-webhook-crash-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is sent again and acknowledged exactly once after a restart', async () => {
    const crm = await startWebhookReceiver(() => 204);
    try {
      const systems = join(dataDir, 'systems.yaml');
      writeFileSync(
        systems,
        `systems:
  - id: crm
    categories: [identification, usage, navigation]
    acknowledgeWithin: P2D
    delivery: webhook
    webhook: { url: '${crm.url}', secret: ${SECRET}, backoff: { first: PT0.05S, max: PT0.2S } }
`,
      );
      const env = { LEDGER_SWEEP_INTERVAL_MS: '200', LEDGER_SYSTEMS: systems };
      const crashing = await startLedgerProcess({
        dataDir,
        env: { ...env, LEDGER_TEST_CRASH_AT: 'webhook-sent' },
      });
      const published = await fetch(`${crashing.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.publisher}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: history() }),
      });
      expect(published.status).toBe(201);
      const killed = await Promise.race([
        exited(crashing.child),
        sleep(30_000, 'still running', { ref: false }),
      ]);
      expect(killed).toMatchObject({ signal: 'SIGKILL' });
      // Killed after the first 2xx: the receiver has it, the log has no acknowledgement.
      expect(crm.received.length).toBeGreaterThanOrEqual(1);
      const firstSent = String(crm.received[0].headers['x-ledger-command-id']);
      const before = await ledgerFacts(dataDir);
      expect(before.filter((e) => e.type === 'CommandAcknowledged')).toEqual([]);
      expect(before.some((e) => e.type === 'CommandIssued' && e.eventId === firstSent)).toBe(true);

      const ledger = await startLedgerProcess({ dataDir, env });
      try {
        await waitFor(async () => {
          const facts = await ledgerFacts(dataDir);
          const issued = facts.filter((e) => e.type === 'CommandIssued').length;
          const acked = facts.filter((e) => e.type === 'CommandAcknowledged').length;
          return issued === 3 && acked === 3;
        }, ledger.output);
      } finally {
        expect((await ledger.stop('SIGTERM')).timedOut).toBe(false);
      }

      const facts = await ledgerFacts(dataDir);
      const issued = facts.filter((e) => e.type === 'CommandIssued');
      const acks = facts.filter((e) => e.type === 'CommandAcknowledged');
      // One command per fact (archive usage, erase visits, renewal of identification).
      expect(issued.map((e) => e.data.action).sort()).toEqual([
        'archive',
        'erase',
        'request-renewal',
      ]);
      expect(acks.map((e) => e.data.commandId).sort()).toEqual(issued.map((e) => e.eventId).sort());
      // The command the crash interrupted went twice, under the same id.
      const sentIds = crm.received.map((r) => String(r.headers['x-ledger-command-id']));
      expect(sentIds.filter((id) => id === firstSent)).toHaveLength(2);
      expect(new Set(sentIds)).toEqual(new Set(issued.map((e) => e.eventId)));
    } finally {
      await crm.close();
    }
  }, 120_000);
});

function history() {
  const envelope = (type: string, occurredAt: string, extra: object) => ({
    eventId: randomUUID(),
    type,
    subjectId: 'user-7',
    occurredAt,
    source: 'marketplace-api',
    data: {},
    ...extra,
  });
  return [
    // As in the saga's crash test: an archive, a renewal question and an erasure due today.
    envelope('AccountCreated', '2020-01-01T00:00:00Z', {
      data: { role: 'member' },
      personalData: { identification: { email: 'ana@example.fr' }, usage: { plan: 'pro' } },
    }),
    envelope('VisitRecorded', '2025-01-02T00:00:00Z', {
      personalData: { navigation: { page: '/jobs' } },
    }),
  ];
}

async function waitFor(done: () => Promise<boolean>, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await done()) return;
    await sleep(200);
  }
  throw new Error(`not done after a minute\n${output()}`);
}

async function ledgerFacts(dataDir: string): Promise<LedgerEventV1[]> {
  const store = SqliteEventStore.open(join(dataDir, 'events.db'));
  try {
    const all = await store.readAll({ maxCount: 10_000 });
    return all
      .filter((e) => e.streamName.startsWith('subject-'))
      .map((e) => decodeLedgerEvent(e.data))
      .filter((e) => e.source === 'ledger');
  } finally {
    await store.close();
  }
}
