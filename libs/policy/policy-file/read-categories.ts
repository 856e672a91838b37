import { isMap, isScalar } from 'yaml';
import type { YamlReader } from './yaml-reader';

const CATEGORY_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** `categories:` maps each category id to what it holds, in the policy's words. */
export function readCategories(
  reader: YamlReader,
  node: unknown,
  at: unknown,
): Record<string, string> {
  const categories: Record<string, string> = {};
  if (!isMap(node) || node.items.length === 0) {
    reader.problem(node ?? at, '"categories" must map each category id to its description');
    return categories;
  }
  for (const pair of node.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!CATEGORY_ID.test(id)) {
      reader.problem(pair.key, `category id "${id}" must be lower-case letters, digits and dashes`);
    }
    const description = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof description !== 'string' || description.trim() === '') {
      reader.problem(pair.value ?? pair.key, `category "${id}" needs a description`);
    }
    categories[id] = String(description ?? '');
  }
  return categories;
}
