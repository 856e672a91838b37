import { isMap, isScalar } from 'yaml';
import type { ThenRule } from '../policy';
import { readDuration } from './read-duration';
import type { YamlReader } from './yaml-reader';

const SHAPES = 'erase, { archive: P.. } or { renew: { answerWithin: P.., extendBy: P.. } }';

/** What follows the active phase: `erase`, `{ archive: P5Y }` or `{ renew: {...} }`. */
export function readThenRule(
  reader: YamlReader,
  node: unknown,
  what: string,
): ThenRule | undefined {
  if (isScalar(node) && node.value === 'erase') return { kind: 'erase' };
  if (!isMap(node) || node.items.length !== 1) {
    reader.problem(node, `${what} must be ${SHAPES}`);
    return undefined;
  }
  const fields = reader.fields(node, what, ['archive', 'renew']);
  if (!fields) return undefined;
  if (fields.has('archive')) {
    const duration = readDuration(reader, fields.get('archive'), `"archive" of ${what}`);
    return duration && { kind: 'archive', for: duration };
  }
  if (!fields.has('renew')) return undefined; // the unknown key was reported
  const renew = reader.fields(fields.get('renew'), `"renew" of ${what}`, [
    'answerWithin',
    'extendBy',
  ]);
  if (!renew) return undefined;
  const part = (key: string) => {
    if (renew.has(key)) return readDuration(reader, renew.get(key), `"${key}" of "renew"`);
    reader.problem(renew.node, `"renew" needs "${key}" (a duration such as P30D)`);
    return undefined;
  };
  const answerWithin = part('answerWithin');
  const extendBy = part('extendBy');
  return answerWithin && extendBy && { kind: 'renew', answerWithin, extendBy };
}
