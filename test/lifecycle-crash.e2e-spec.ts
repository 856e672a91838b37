import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SAGA_CRASH_POINTS } from '../libs/lifecycle/saga/lifecycle-faults';
import { expectKeysDestroyed, historyDueToday, ledgerFactsIn } from './support/due-today-history';
import { KEYS, MASTER_KEY } from './support/ledger-harness';
import { startLedgerProcess, type LedgerProcess } from './support/ledger-process';
import { exited } from './support/typescript-process';

const SWEEP = { LEDGER_SWEEP_INTERVAL_MS: '200' };

/**
 * `kill -9` of the ledger at each crash point of a lifecycle step (after deciding, after
 * destroying a key, after appending), then a restart: every due action is done, once.
 * On the system clock: the history is dated so that an archive, a renewal question and an
 * erasure are all due today.
 */
describe.each(SAGA_CRASH_POINTS)('a lifecycle step killed %s', (point) => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), `ledger-saga-crash-${point}-`))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is done exactly once after a restart', async () => {
    const crashing = await startLedgerProcess({
      dataDir,
      env: { ...SWEEP, LEDGER_TEST_CRASH_AT: point },
    });
    const published = await fetch(`${crashing.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.publisher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: historyDueToday() }),
    });
    expect(published.status).toBe(201);
    const killed = await Promise.race([
      exited(crashing.child),
      sleep(30_000, 'still running', { ref: false }),
    ]);
    expect(killed).toMatchObject({ signal: 'SIGKILL' });
    // Where it stopped: before anything was written, between a key's destruction and its
    // RecordErased, or after a first fact.
    const before = (await ledgerFactsIn(dataDir)).map((e) => e.type);
    if (point === 'decided') expect(before).toEqual([]);
    if (point === 'key-destroyed') expect(before).not.toContain('RecordErased');
    if (point === 'appended') expect(before).toHaveLength(1);

    const ledger = await startLedgerProcess({ dataDir, env: SWEEP });
    try {
      await waitUntilNothingIsDue(ledger);
    } finally {
      expect((await ledger.stop('SIGTERM')).timedOut).toBe(false);
    }

    const facts = await ledgerFactsIn(dataDir);
    const summary = facts.map((e) => `${e.type} ${e.data.recordKey}|${e.data.category}`).sort();
    expect(summary).toEqual([
      'RecordArchived account|usage',
      'RecordErased visits:2025-01|navigation',
      'RenewalRequested account|identification',
    ]);
    await expectKeysDestroyed(dataDir, MASTER_KEY, [facts.find((e) => e.type === 'RecordErased')!]);
  }, 120_000);
});

async function waitUntilNothingIsDue(ledger: LedgerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = new Date(Date.now() + 1).toISOString();
    const response = await fetch(`${ledger.url}/v1/compliance/deadlines?before=${before}`, {
      headers: { authorization: `Bearer ${KEYS.compliance}` },
    });
    const body = (await response.json()) as { items: unknown[] };
    if (response.status === 200 && body.items.length === 0) return;
    await sleep(200);
  }
  throw new Error(`deadlines still due after a minute\n${ledger.output()}`);
}
