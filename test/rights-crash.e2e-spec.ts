import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectKeysDestroyed, ledgerFactsIn } from './support/due-today-history';
import { KEYS, MASTER_KEY } from './support/ledger-harness';
import { startLedgerProcess } from './support/ledger-process';
import { exited } from './support/typescript-process';

/** The saga stays out of the way: the route's own retry must finish the work. */
const QUIET = { LEDGER_SWEEP_INTERVAL_MS: '3600000' };

/**
 * `kill -9` of the ledger while it answers an erasure request (after destroying a record's
 * key, after appending its RecordErased: the saga's own crash points, since the route runs
 * the saga's step), then a restart and the same request again: every record is erased
 * once, the request is answered once, and a third call answers the same as a duplicate.
 */
describe.each(['key-destroyed', 'appended'])('an erasure request killed at %s', (point) => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), `ledger-rights-crash-${point}-`))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is carried out and answered exactly once when asked again after a restart', async () => {
    const crashing = await startLedgerProcess({
      dataDir,
      env: { ...QUIET, LEDGER_TEST_CRASH_AT: point },
    });
    const now = Date.now();
    const envelope = (type: string, data: object, personalData: object) => ({
      eventId: randomUUID(),
      type,
      subjectId: 'user-9',
      occurredAt: new Date(now - 3_600_000).toISOString(),
      source: 'marketplace-api',
      data,
      personalData,
    });
    const published = await fetch(`${crashing.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.publisher}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          envelope('AccountCreated', { role: 'member' }, { identification: { email: 'z@b.fr' } }),
          envelope('ReviewPosted', { reviewId: 'R9' }, { reviews: { text: 'fine' } }),
          envelope(
            'InvoiceIssued',
            { invoiceId: 'INV-9', amount: 5, currency: 'EUR' },
            { billing: { address: 'x' } },
          ),
        ],
      }),
    });
    expect(published.status).toBe(201);
    const requestId = randomUUID();
    const ask = (url: string) =>
      fetch(`${url}/v1/subjects/user-9/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEYS.compliance}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ right: 'erasure', requestId }),
      });
    await expect(ask(crashing.url)).rejects.toThrow();
    expect(await exited(crashing.child)).toMatchObject({ signal: 'SIGKILL' });
    const before = (await ledgerFactsIn(dataDir)).map((e) => e.type);
    expect(before).not.toContain('RightsRequestAnswered');
    if (point === 'key-destroyed') expect(before).toEqual([]);
    if (point === 'appended') expect(before).toEqual(['RecordErased']);

    const ledger = await startLedgerProcess({ dataDir, env: QUIET });
    let first: any;
    let again: any;
    try {
      const answered = await ask(ledger.url);
      expect(answered.status).toBe(201);
      first = await answered.json();
      again = await (await ask(ledger.url)).json();
    } finally {
      expect((await ledger.stop('SIGTERM')).timedOut).toBe(false);
    }
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(first.kept).toEqual([
      { recordKey: 'invoice:INV-9', category: 'billing', reason: 'legal-obligation' },
    ]);

    const facts = await ledgerFactsIn(dataDir);
    expect(facts.map((e) => `${e.type} ${e.data.recordKey ?? ''}`).sort()).toEqual([
      'RecordErased account',
      'RecordErased review:R9',
      'RightsRequestAnswered ',
    ]);
    await expectKeysDestroyed(
      dataDir,
      MASTER_KEY,
      facts.filter((e) => e.type === 'RecordErased'),
    );
  }, 120_000);
});
