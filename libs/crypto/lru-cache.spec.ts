import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('drops the least recently used entry beyond its bound', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces a value without growing, and deletes', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('empties on clear', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts in least-recently-used order across many turnovers, as a plain list does', () => {
    const cache = new LruCache<number, number>(5);
    let order: number[] = []; // least recent first
    let seed = 1;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 2000; i++) {
      const key = random(12);
      order = order.filter((k) => k !== key);
      if (random(3) === 0) {
        if (cache.get(key) !== undefined) order.push(key);
      } else {
        cache.set(key, i);
        order.push(key);
        if (order.length > 5) order.shift();
      }
      if (i % 500 === 250) {
        cache.clear();
        order = [];
      }
      // Reading the kept keys least recent first leaves their order as it was.
      const absent = [...Array(12).keys()].filter((k) => !order.includes(k));
      expect(absent.filter((k) => cache.get(k) !== undefined)).toEqual([]);
      expect(order.filter((k) => cache.get(k) === undefined)).toEqual([]);
      expect(cache.size).toBe(order.length);
    }
  });

  it('refuses a bound below one', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
