import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import type { PolicyProblem } from '../policy-errors';

/** The value nodes of a mapping whose keys were checked, by key. */
export interface Fields {
  /** The mapping itself: where a missing key is reported. */
  readonly node: YAMLMap;
  get(key: string): unknown;
  has(key: string): boolean;
}

/**
 * What every part of the policy reader shares: the file's name, the line of a node, and the
 * problems found so far. Readers report and go on, so that one run lists every problem.
 */
export class YamlReader {
  readonly problems: PolicyProblem[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  lineOf(node: unknown): number {
    const range = node && typeof node === 'object' ? (node as Partial<Node>).range : undefined;
    return range ? this.lines.linePos(range[0]).line : 0;
  }

  problem(node: unknown, reason: string): void {
    // An alias was reported once where it stands; saying again that it has the wrong shape helps nobody.
    if (isAlias(node)) return;
    this.problems.push({ file: this.file, line: this.lineOf(node), reason });
  }

  /** A mapping whose keys are all in `keys`; every other key is reported (a typo must not pass). */
  fields(node: unknown, what: string, keys: readonly string[]): Fields | undefined {
    if (!isMap(node)) {
      this.problem(node, `${what} must be a mapping (${keys.join(', ')})`);
      return undefined;
    }
    const values = new Map<string, unknown>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !keys.includes(key)) {
        this.problem(pair.key, unknownKey(key, what, keys));
      } else {
        values.set(key, pair.value);
      }
    }
    return { node, get: (key) => values.get(key), has: (key) => values.has(key) };
  }

  /** A non-empty string; `undefined` (and a problem) otherwise. */
  text(node: unknown, what: string): string | undefined {
    const value: unknown = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.problem(node, `${what} must be a non-empty string`);
    return undefined;
  }

  /** The items of a non-empty sequence. */
  items(node: unknown, what: string): readonly unknown[] | undefined {
    if (isSeq(node) && node.items.length > 0) return node.items;
    this.problem(node, `${what} must be a non-empty list`);
    return undefined;
  }

  /** A non-empty list of strings, each checked by `check` (which reports and returns false). */
  names(
    node: unknown,
    what: string,
    check: (name: string, item: unknown) => boolean = () => true,
  ): string[] | undefined {
    const items = this.items(node, what);
    if (!items) return undefined;
    const names: string[] = [];
    let valid = true;
    for (const item of items) {
      const name = this.text(item, `each item of ${what}`);
      if (name !== undefined && names.includes(name)) {
        this.problem(item, `"${name}" is listed twice in ${what}`);
      } else if (name === undefined || !check(name, item)) {
        valid = false;
      } else {
        names.push(name);
      }
    }
    return valid ? names : undefined;
  }

  /** A name from a fixed list. */
  oneOf(name: string, item: unknown, what: string, allowed: readonly string[]): boolean {
    if (allowed.includes(name)) return true;
    this.problem(item, `unknown ${what} "${name}" (expected ${allowed.join(', ')})`);
    return false;
  }
}

function unknownKey(key: string | undefined, what: string, keys: readonly string[]): string {
  if (key === undefined) return `${what} has a key that is not a plain name`;
  const near = keys.find(
    (known) =>
      distance(key.toLowerCase(), known.toLowerCase()) <= Math.min(2, Math.floor(known.length / 3)),
  );
  return near
    ? `unknown key "${key}" in ${what} (did you mean "${near}"?)`
    : `unknown key "${key}" in ${what} (expected ${keys.join(', ')})`;
}

/** Edit distance counting a swap of two neighbours as one edit, for a mistyped key's "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
