import { compareCodeUnits } from './clock-order';

type Map<V> = Readonly<Record<string, V>>;

/**
 * Maps of the state keep their keys in code-unit order, so that two equal states serialize
 * to the same bytes (read models are compared byte for byte after a rebuild). Built with
 * `Object.fromEntries`, so a key such as `__proto__` is an ordinary own property.
 */
export function sortedMap<V>(entries: Iterable<readonly [string, V]>): Map<V> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
}

/** `map` with `key` set to `value`. */
export function put<V>(map: Map<V>, key: string, value: V): Map<V> {
  return sortedMap([...Object.entries(map).filter(([k]) => k !== key), [key, value] as const]);
}

/** `map` without `key`; the same object when it had none. */
export function remove<V>(map: Map<V>, key: string): Map<V> {
  return Object.hasOwn(map, key) ? sortedMap(Object.entries(map).filter(([k]) => k !== key)) : map;
}

/** The value under `key`, never one inherited from `Object.prototype` (`constructor`...). */
export function own<V>(map: Map<V>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sorted, without duplicates. */
export function sortedUnion(a: readonly string[], b: readonly string[]): readonly string[] {
  return [...new Set([...a, ...b])].sort(compareCodeUnits);
}
