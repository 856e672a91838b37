import { versionInForce } from './policy-in-force';

describe('the policy version in force', () => {
  const v = (name: string, effectiveFrom: string) => ({ name, effectiveFrom });
  const at = (iso: string) => new Date(iso);

  it('is the latest version whose date has come', () => {
    const versions = [v('2023', '2023-01-24T00:00:00Z'), v('2027', '2027-01-01T00:00:00Z')];
    expect(versionInForce(versions, at('2026-12-31T23:59:59.999Z'))?.name).toBe('2023');
    expect(versionInForce(versions, at('2027-01-01T00:00:00Z'))?.name).toBe('2027');
  });

  it('does not depend on the order of publication when the dates differ', () => {
    const versions = [v('2027', '2027-01-01T00:00:00Z'), v('2023', '2023-01-24T00:00:00Z')];
    expect(versionInForce(versions, at('2028-01-01T00:00:00Z'))?.name).toBe('2027');
    expect(versionInForce(versions, at('2025-01-01T00:00:00Z'))?.name).toBe('2023');
  });

  it('of two versions with the same date, follows the one published last', () => {
    const versions = [v('first', '2024-01-01T00:00:00Z'), v('corrected', '2024-01-01T00:00:00Z')];
    expect(versionInForce(versions, at('2025-01-01T00:00:00Z'))?.name).toBe('corrected');
  });

  it('before any date has come, follows the version that takes effect first', () => {
    const versions = [v('2031', '2031-01-01T00:00:00Z'), v('2030', '2030-01-01T00:00:00Z')];
    expect(versionInForce(versions, at('2026-01-01T00:00:00Z'))?.name).toBe('2030');
  });

  it('is undefined when nothing was published', () => {
    expect(versionInForce([], at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});
