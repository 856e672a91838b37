import fc from 'fast-check';
import { put, sortedMap } from './sorted-map';

// Keys that JavaScript orders on its own (integer-like, `__proto__`) as well as plain ones.
const keyArb = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.nat({ max: 20 }).map(String),
  fc.constantFrom('__proto__', 'constructor', 'a', 'b'),
);

describe('put', () => {
  it('gives the bytes of the map sorted again', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.nat())), keyArb, fc.nat(), (entries, key, value) => {
        const map = sortedMap(new Map(entries));
        const expected = sortedMap([
          ...Object.entries(map).filter(([k]) => k !== key),
          [key, value],
        ]);
        expect(JSON.stringify(put(map, key, value))).toBe(JSON.stringify(expected));
      }),
    );
  });

  it('built one put at a time, often appending (keys in rising order), gives the sorted bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.nat())), fc.boolean(), (entries, rising) => {
        const ordered = rising
          ? [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          : entries;
        const built = ordered.reduce<Readonly<Record<string, number>>>(
          (m, [k, v]) => put(m, k, v),
          {},
        );
        expect(JSON.stringify(built)).toBe(JSON.stringify(sortedMap(new Map(ordered))));
      }),
    );
  });

  it('returns the same map when the value is already there', () => {
    const map = sortedMap([['a', 1]]);
    expect(put(map, 'a', 1)).toBe(map);
  });
});
