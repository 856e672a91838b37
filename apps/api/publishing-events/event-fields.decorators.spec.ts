import { isUtcTimestamp } from './event-fields.decorators';

/** What a real instant is, by `Date`: it reads back the same to the second. */
function readsBackTheSame(value: string): boolean {
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19);
}

const two = (n: number) => String(n).padStart(2, '0');

describe('isUtcTimestamp', () => {
  it('agrees with a round trip through Date, over every day of leap and common years', () => {
    let checked = 0;
    for (const year of ['0000', '1900', '1999', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const time of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60']) {
            for (const fraction of ['', '.5', '.123', '.123456789']) {
              const value = `${year}-${two(month)}-${two(day)}T${time}${fraction}Z`;
              expect({ value, valid: isUtcTimestamp(value) }).toEqual({
                value,
                valid: readsBackTheSame(value),
              });
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it.each([
    '2024-03-01T10:00:00',
    '2024-03-01T10:00:00+01:00',
    '2024-03-01 10:00:00Z',
    '2024-03-01T10:00:00.Z',
    '2024-03-01T10:00:00.1234567890Z',
    '+002024-03-01T10:00:00Z',
    '2024-3-1T10:00:00Z',
  ])('refuses %s, not in the contract form', (value) => {
    expect(isUtcTimestamp(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isUtcTimestamp(1709287200000)).toBe(false);
    expect(isUtcTimestamp(new Date())).toBe(false);
  });
});
