import {
  commandIdOf,
  acknowledgementIdOf,
  deadLetterIdOf,
  issueCommand,
  retryDelayMs,
  signCommand,
  verifyCommandSignature,
} from './downstream-commands';
import { parseFixedDuration } from './fixed-duration';

describe('command ids', () => {
  it('are the same for the same system and fact, and differ otherwise', () => {
    const fact = '8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10';
    expect(commandIdOf('crm', fact)).toBe(commandIdOf('crm', fact));
    expect(commandIdOf('crm', fact)).not.toBe(commandIdOf('warehouse', fact));
    const id = commandIdOf('crm', fact);
    expect(new Set([id, acknowledgementIdOf(id), deadLetterIdOf(id)]).size).toBe(3);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('issueCommand', () => {
  it('is due the SLA after it is issued', () => {
    const owed = {
      system: 'crm',
      commandId: 'c',
      action: 'erase' as const,
      subject: 'p',
      recordKey: 'account',
      category: 'identification',
      factEventId: 'f',
    };
    expect(issueCommand(owed, new Date('2030-01-31T10:00:00Z'), 2 * 86_400_000)).toMatchObject({
      issuedAt: '2030-01-31T10:00:00.000Z',
      dueBy: '2030-02-02T10:00:00.000Z',
    });
  });
});

describe('retryDelayMs (full jitter)', () => {
  const almostOne = () => 0.999_999;
  it('doubles its bound with every try, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1000, 10_000, almostOne))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
  });
  it('draws anywhere from zero to the bound', () => {
    expect(retryDelayMs(3, 1000, 10_000, () => 0)).toBe(0);
    expect(retryDelayMs(3, 1000, 10_000, () => 0.5)).toBe(2000);
  });
  it('does not overflow after many tries', () => {
    expect(retryDelayMs(5000, 1000, 60_000, almostOne)).toBe(59_999);
  });
});

describe('webhook signatures', () => {
  const secret = 'a-secret-of-thirty-two-characters!!';
  const body = '{"commandId":"c"}';
  const now = 1_900_000_000;
  const signature = signCommand(secret, String(now), body);

  it('is HMAC-SHA256 over the timestamp and the body', () => {
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyCommandSignature(secret, String(now), body, signature, now + 10)).toBe(true);
  });
  it('fails for another body, secret or timestamp', () => {
    expect(verifyCommandSignature(secret, String(now), `${body} `, signature, now)).toBe(false);
    expect(verifyCommandSignature(`${secret}x`, String(now), body, signature, now)).toBe(false);
    expect(verifyCommandSignature(secret, String(now + 1), body, signature, now)).toBe(false);
  });
  it('refuses a request replayed outside the tolerance', () => {
    expect(verifyCommandSignature(secret, String(now), body, signature, now + 301)).toBe(false);
    expect(verifyCommandSignature(secret, 'soon', body, signature, now)).toBe(false);
  });
});

describe('parseFixedDuration', () => {
  it.each([
    ['P2D', 172_800_000],
    ['PT48H', 172_800_000],
    ['P1W', 604_800_000],
    ['P1DT12H', 129_600_000],
    ['PT0.05S', 50],
    ['PT1M30S', 90_000],
  ])('%s is %d ms', (text, ms) => expect(parseFixedDuration(text)).toBe(ms));

  it.each(['P1M', 'P1Y', 'P', 'PT', 'P0D', '2D', 'P1DT', '-P1D', 'PT1.0001S', 'p1d'])(
    'refuses %s',
    (text) => expect(parseFixedDuration(text)).toBeUndefined(),
  );
});
