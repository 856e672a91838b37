import { isMap, isScalar } from 'yaml';
import type { DateRule } from '../policy';
import { clocksOf, readDateRule } from './read-date-rule';
import type { YamlReader } from './yaml-reader';

const CLOCK_NAME = /^[a-z][A-Za-z0-9]{0,63}$/;

export interface PolicyClocks {
  readonly clocks: Record<string, DateRule>;
  /** Every clock a rule may name: the base clocks and the defined ones. */
  readonly known: ReadonlySet<string>;
}

/**
 * `clocks:` maps a new clock's name to a date rule over other clocks. A defined clock may use
 * another defined clock, but not itself through any chain: a cycle has no date.
 */
export function readClocks(
  reader: YamlReader,
  node: unknown,
  baseClocks: readonly string[],
): PolicyClocks {
  const known = new Set(baseClocks);
  if (node === undefined) return { clocks: {}, known };
  if (!isMap(node)) {
    reader.problem(node, '"clocks" must map each clock name to its rule');
    return { clocks: {}, known };
  }
  const definitions: { name: string; key: unknown; value: unknown }[] = [];
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!CLOCK_NAME.test(name)) {
      reader.problem(pair.key, `clock name "${name}" must be a camelCase name such as accountEnd`);
    } else if (known.has(name)) {
      reader.problem(pair.key, `clock "${name}" is already a base clock or defined above`);
    } else {
      known.add(name);
      definitions.push({ name, key: pair.key, value: pair.value });
    }
  }

  const clocks: Record<string, DateRule> = {};
  for (const { name, value } of definitions) {
    const rule = readDateRule(reader, value, `clock "${name}"`, known);
    if (rule) clocks[name] = rule;
  }
  for (const cycle of cyclesOf(clocks)) {
    const first = definitions.find((definition) => definition.name === cycle[0]);
    reader.problem(first?.key, `clock cycle: ${cycle.join(' -> ')}`);
  }
  return { clocks, known };
}

/** Each cycle among defined clocks once, as `[a, b, a]`, found from the first defined. */
function cyclesOf(clocks: Readonly<Record<string, DateRule>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const onPath = path.indexOf(name);
    if (onPath >= 0) {
      cycles.push([...path.slice(onPath), name]);
      return;
    }
    if (done.has(name) || !Object.hasOwn(clocks, name)) return;
    path.push(name);
    for (const next of new Set(clocksOf(clocks[name]))) visit(next);
    path.pop();
    done.add(name);
  };
  for (const name of Object.keys(clocks)) visit(name);
  return cycles;
}
