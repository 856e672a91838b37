import { readFileSync } from 'node:fs';
import { FixedClock } from '../domain/clock';
import { MemoryEventStore } from '../event-store/memory/memory-event-store';
import { BUNDLED_POLICY_FILE, loadPolicyFile } from '../policy/load-policy';
import { ensurePolicyVersionPublished, readPolicyVersions } from './policy-versions';

describe('policy versions in the log', () => {
  const policy = loadPolicyFile();
  const text = readFileSync(BUNDLED_POLICY_FILE, 'utf8');
  const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));

  it('records a version the first time it runs, once, even when two processes race', async () => {
    const store = new MemoryEventStore();
    const outcomes = await Promise.all([
      ensurePolicyVersionPublished(store, policy, text, clock),
      ensurePolicyVersionPublished(store, policy, text, clock),
    ]);
    expect(outcomes.filter((o) => o.published)).toHaveLength(1);
    expect(await ensurePolicyVersionPublished(store, policy, text, clock)).toEqual({
      published: false,
    });

    const versions = await readPolicyVersions(store);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      version: '2023-01-24',
      effectiveFrom: '2023-01-24T00:00:00Z',
      sha256: policy.sha256,
      text,
      publishedAt: '2026-01-01T00:00:00.000Z',
    });
  });
});
