import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionScheduleWorker } from '../apps/worker/worker.module';
import { anotherVersionText } from '../libs/lifecycle/testing/policy-texts';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

/**
 * A new policy version published ahead of its effective date: the ledger records it at once,
 * keeps following the version in force until that date, then recomputes every schedule
 * under the new one and reports which deadlines moved.
 */
describe('a policy version published ahead of its effective date', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-policy-versions-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const platformAccessUntil = async (ledger: Ledger) => {
    const { status, body } = await ledger.request('GET', '/v1/subjects/user-42/retention', {
      key: KEYS.compliance,
    });
    expect(status).toBe(200);
    const account = body.records.find(
      (r: any) => r.recordKey === 'account' && r.category === 'identification',
    );
    const purpose = account.purposes.find((p: any) => p.purpose === 'platform-access');
    return { policyVersion: body.policyVersion, activeUntil: purpose.activeUntil };
  };

  it('waits for its date, then moves the deadlines it changes', async () => {
    const first = await startLedger({ dataDir, now: '2026-11-27T12:00:00Z' });
    try {
      const published = await first.request('POST', '/v1/events', {
        key: KEYS.publisher,
        body: {
          eventId: randomUUID(),
          type: 'AccountCreated',
          subjectId: 'user-42',
          occurredAt: '2024-03-01T10:00:00Z',
          source: 'marketplace-api',
          data: { role: 'member' },
          personalData: { identification: { email: 'ana@example.fr' } },
        },
      });
      expect(published.status).toBe(201);
      expect(await platformAccessUntil(first)).toEqual({
        policyVersion: '2023-01-24',
        activeUntil: '2026-03-01T10:00:00.000Z',
      });
    } finally {
      await first.close();
    }

    // Inactivity now closes an account after one year instead of two, from 2027.
    const file = join(dataDir, 'policy-2027.yaml');
    writeFileSync(
      file,
      anotherVersionText('2027-01-01', '2027-01-01T00:00:00Z', [
        ['{ clock: lastActivity, plus: P2Y }', '{ clock: lastActivity, plus: P1Y }'],
      ]),
    );
    const second = await startLedger({
      dataDir,
      now: '2026-12-31T23:00:00Z',
      env: { LEDGER_POLICY: file },
    });
    try {
      const policy = (await second.request('GET', '/v1/policy', { key: KEYS.auditor })).body;
      expect(policy.inForce.version).toBe('2023-01-24');
      expect(policy.versions.map((v: any) => [v.version, v.effectiveFrom])).toEqual([
        ['2023-01-24', '2023-01-24T00:00:00Z'],
        ['2027-01-01', '2027-01-01T00:00:00Z'],
      ]);
      expect(await platformAccessUntil(second)).toEqual({
        policyVersion: '2023-01-24',
        activeUntil: '2026-03-01T10:00:00.000Z',
      });

      second.clock.set(new Date('2027-01-01T00:00:00Z'));
      // What the sweep interval's timer does; called here so the test does not wait for it.
      await second.app.get(RetentionScheduleWorker).followPolicyInForce();

      expect(await platformAccessUntil(second)).toEqual({
        policyVersion: '2027-01-01',
        activeUntil: '2025-03-01T10:00:00.000Z',
      });
      const after = (await second.request('GET', '/v1/policy', { key: KEYS.auditor })).body;
      expect(after.inForce.version).toBe('2027-01-01');
      expect(after.lastChange).toMatchObject({ moved: expect.any(Number) });
      expect(after.lastChange.moved).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  }, 60_000);
});
