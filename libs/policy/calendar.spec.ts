import { UTCDate } from '@date-fns/utc';
import { add } from 'date-fns';
import fc from 'fast-check';
import { addCalendar, parseCalendarDuration } from './calendar';

const d = (iso: string) => {
  const duration = parseCalendarDuration(iso);
  if (!duration) throw new Error(`test setup: ${iso} is not a calendar duration`);
  return duration;
};

describe('parseCalendarDuration', () => {
  it.each([
    ['P2Y', { years: 2, months: 0, days: 0 }],
    ['P14M', { years: 0, months: 14, days: 0 }],
    ['P30D', { years: 0, months: 0, days: 30 }],
    ['P1Y6M15D', { years: 1, months: 6, days: 15 }],
    ['P0D', { years: 0, months: 0, days: 0 }],
  ])('reads %s', (iso, parts) => {
    expect(parseCalendarDuration(iso)).toEqual({ iso, ...parts });
  });

  it.each([
    'P1W',
    'P1Y2W',
    'PT48H',
    'P1DT',
    'P1DT2H',
    '-P1Y',
    'P-1Y',
    'P1.5Y',
    'P',
    'p2y',
    '2Y',
    '',
    ' P2Y',
  ])('refuses %j', (iso) => {
    expect(parseCalendarDuration(iso)).toBeUndefined();
  });

  it('refuses a part too large to stay a date', () => {
    expect(parseCalendarDuration('P100000Y')).toBeUndefined();
  });
});

describe('addCalendar (spec/retention-policy.md, "Rules of arithmetic")', () => {
  it.each([
    // 29 February: the day does not exist in the target year, so the month's last day.
    ['2024-02-29T00:00:00.000Z', 'P2Y', '2026-02-28T00:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 'P4Y', '2028-02-29T00:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 'P1Y', '2025-02-28T00:00:00.000Z'],
    // The 31st.
    ['2025-01-31T00:00:00.000Z', 'P1M', '2025-02-28T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 'P1M', '2024-02-29T00:00:00.000Z'],
    ['2025-03-31T00:00:00.000Z', 'P1M', '2025-04-30T00:00:00.000Z'],
    ['2025-08-31T00:00:00.000Z', 'P1M', '2025-09-30T00:00:00.000Z'],
    // The statistics (P14M) and bug reports (P13M) rules.
    ['2024-12-31T00:00:00.000Z', 'P14M', '2026-02-28T00:00:00.000Z'],
    ['2025-03-15T09:00:00.000Z', 'P14M', '2026-05-15T09:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 'P13M', '2025-02-28T00:00:00.000Z'],
    ['2023-05-31T00:00:00.000Z', 'P13M', '2024-06-30T00:00:00.000Z'],
    // Invoices (P10Y) across leap years.
    ['2024-02-29T00:00:00.000Z', 'P10Y', '2034-02-28T00:00:00.000Z'],
    ['2023-01-24T00:00:00.000Z', 'P10Y', '2033-01-24T00:00:00.000Z'],
    // P30D across month ends counts days, not months.
    ['2025-01-31T00:00:00.000Z', 'P30D', '2025-03-02T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 'P30D', '2024-03-01T00:00:00.000Z'],
    ['2025-12-15T00:00:00.000Z', 'P30D', '2026-01-14T00:00:00.000Z'],
    // Years and months first (with clamping), then days.
    ['2025-01-31T00:00:00.000Z', 'P1M1D', '2025-03-01T00:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 'P1Y1M', '2025-03-29T00:00:00.000Z'],
  ])('%s + %s = %s', (instant, iso, expected) => {
    expect(addCalendar(instant, d(iso))).toBe(expected);
  });

  it('keeps the time of day, to the millisecond', () => {
    expect(addCalendar('2024-02-29T23:59:59.999Z', d('P2Y'))).toBe('2026-02-28T23:59:59.999Z');
    expect(addCalendar('2025-01-31T18:30:00Z', d('P30D'))).toBe('2025-03-02T18:30:00.000Z');
  });

  it('counts UTC days: the nights clocks change in Europe have 24 hours like any other', () => {
    // Checked under TZ=Europe/Paris too (the arithmetic runs on UTCDate, never local time);
    // jest sandboxes process.env, so the zone cannot be switched from inside this test.
    expect(addCalendar('2025-03-29T23:30:00.000Z', d('P1D'))).toBe('2025-03-30T23:30:00.000Z');
    expect(addCalendar('2025-10-25T23:30:00.000Z', d('P1D'))).toBe('2025-10-26T23:30:00.000Z');
    expect(addCalendar('2025-02-28T23:30:00.000Z', d('P1M'))).toBe('2025-03-28T23:30:00.000Z');
  });

  it('adds nothing for a zero duration and refuses an instant that is not one', () => {
    expect(addCalendar('2025-01-31T10:00:00.000Z', d('P0D'))).toBe('2025-01-31T10:00:00.000Z');
    expect(() => addCalendar('not a date', d('P1D'))).toThrow(RangeError);
  });
});

describe('addCalendar against date-fns (what it computed with before, ~10x slower)', () => {
  const instantArb = fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9000-12-31T23:59:59.999Z') })
    .filter((date) => !Number.isNaN(date.getTime()))
    .map((date) => date.toISOString());
  // Forms Date reads that are not `toISOString()`'s: they take the slower path.
  const otherFormArb = instantArb.map((iso) =>
    iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace('Z', '+00:00'),
  );
  const durationArb = fc
    .record({
      years: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 999 })),
      months: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 9_999 })),
      days: fc.oneof(fc.integer({ min: 0, max: 62 }), fc.integer({ min: 0, max: 99_999 })),
    })
    .map(({ years, months, days }) => ({
      iso: `P${years}Y${months}M${days}D`,
      years,
      months,
      days,
    }));

  it('gives the same instant as add() on a UTCDate, month ends and leap days included', () => {
    fc.assert(
      fc.property(fc.oneof(instantArb, otherFormArb), durationArb, (instant, duration) => {
        const expected = add(new UTCDate(instant), duration).toISOString();
        expect(addCalendar(instant, duration)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });
});
