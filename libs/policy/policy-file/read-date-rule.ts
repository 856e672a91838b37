import { isMap } from 'yaml';
import type { DateRule } from '../policy';
import { readDuration } from './read-duration';
import type { YamlReader } from './yaml-reader';

const SHAPES = '{ clock: name, plus: P.. }, { earliest: [...] } or { latest: [...] }';

/**
 * `{ clock: name, plus?: P.. }` | `{ earliest: [rules] }` | `{ latest: [rules] }`. Every clock
 * named must be in `clocks` (the base clocks and those the policy defines).
 */
export function readDateRule(
  reader: YamlReader,
  node: unknown,
  what: string,
  clocks: ReadonlySet<string>,
): DateRule | undefined {
  if (!isMap(node)) {
    reader.problem(node, `${what} must be one of ${SHAPES}`);
    return undefined;
  }
  const shapes = ['clock', 'earliest', 'latest'].filter((key) => node.has(key));
  if (shapes.length !== 1) {
    reader.problem(node, `${what} must be exactly one of ${SHAPES}`);
    return undefined;
  }
  const [shape] = shapes;
  if (shape === 'clock') {
    const fields = reader.fields(node, what, ['clock', 'plus']);
    const clock = reader.text(fields?.get('clock'), `"clock" of ${what}`);
    if (!fields || clock === undefined) return undefined;
    if (!clocks.has(clock)) {
      reader.problem(
        fields.get('clock'),
        `unknown clock "${clock}" (neither a base clock nor one defined under "clocks")`,
      );
      return undefined;
    }
    if (!fields.has('plus')) return { clock };
    const plus = readDuration(reader, fields.get('plus'), `"plus" of ${what}`);
    return plus ? { clock, plus } : undefined;
  }
  const fields = reader.fields(node, what, [shape]);
  const items = reader.items(fields?.get(shape), `"${shape}" of ${what}`);
  if (!items) return undefined;
  // Every item is read, even after a bad one, so that each problem is reported.
  const rules = items.map((item) => readDateRule(reader, item, `an item of "${shape}"`, clocks));
  if (!rules.every((rule) => rule !== undefined)) return undefined;
  return shape === 'earliest' ? { earliest: rules } : { latest: rules };
}

/** The clocks a rule reads, in order of appearance. */
export function clocksOf(rule: DateRule): string[] {
  if ('clock' in rule) return [rule.clock];
  return ('earliest' in rule ? rule.earliest : rule.latest).flatMap(clocksOf);
}
