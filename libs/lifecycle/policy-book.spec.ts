import { FixedClock } from '../domain/clock';
import { MemoryEventStore } from '../event-store/memory/memory-event-store';
import { parsePolicy } from '../policy/load-policy';
import { PolicyBook, PolicyTextMismatchError } from './policy-book';
import { ensurePolicyVersionPublished, readPolicyVersions } from './policy-versions';
import { anotherVersionText, bundledPolicyText } from './testing/policy-texts';

describe('the policy book', () => {
  const bundledText = bundledPolicyText();
  const bundled = parsePolicy(Buffer.from(bundledText), 'bundled.yaml');
  const laterText = anotherVersionText('2027-01-01', '2027-01-01T00:00:00Z');
  const later = parsePolicy(Buffer.from(laterText), 'later.yaml');

  it('follows the text recorded in the log, and a version published ahead waits for its date', async () => {
    const store = new MemoryEventStore();
    const clock = new FixedClock(new Date('2026-11-27T00:00:00Z'));
    const book = new PolicyBook(store, clock);
    expect(await book.inForce()).toBeUndefined();

    await ensurePolicyVersionPublished(store, bundled, bundledText, clock);
    await ensurePolicyVersionPublished(store, later, laterText, clock);

    const now = await book.inForce();
    expect(now?.version).toBe('2023-01-24');
    expect(now?.sha256).toBe(bundled.sha256);
    expect(now?.purposes).toEqual(bundled.purposes);

    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect((await book.inForce())?.sha256).toBe(later.sha256);
  });

  it('refuses a recorded text that does not match its hash', async () => {
    const store = new MemoryEventStore();
    const clock = new FixedClock(new Date('2026-11-27T00:00:00Z'));
    await ensurePolicyVersionPublished(store, bundled, bundledText, clock);
    const [version] = await readPolicyVersions(store);
    const altered = { ...version, text: bundledText.replace('P2Y', 'P9Y') };
    expect(() => new PolicyBook(store, clock).policyOf(altered)).toThrow(PolicyTextMismatchError);
  });
});
