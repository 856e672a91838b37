import { isMap, isScalar } from 'yaml';
import type { Purpose } from '../policy';
import { readPurposeRules, RULE_PART_KEYS } from './read-purpose-rules';
import type { YamlReader } from './yaml-reader';

const LOWER_DASHES = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PURPOSE_KEYS = [
  'id',
  'text',
  'records',
  'categories',
  'recipients',
  'heldByDisputes',
  ...RULE_PART_KEYS,
  'rules',
];

export interface PurposeContext {
  readonly reader: YamlReader;
  /** Base and defined clocks. */
  readonly clocks: ReadonlySet<string>;
  /** The policy's category ids, in the file's order. */
  readonly categories: readonly string[];
}

/** One item of `purposes:`; its id's node comes back too, for the uniqueness check. */
export function readPurpose(
  context: PurposeContext,
  node: unknown,
  index: number,
): { purpose?: Purpose; idNode?: unknown } {
  const { reader } = context;
  // Messages name the purpose by its id when it has one.
  const rawId: unknown = isMap(node) ? node.get('id') : undefined;
  const label = typeof rawId === 'string' ? `purpose "${rawId}"` : `purpose #${index + 1}`;
  const fields = reader.fields(node, label, PURPOSE_KEYS);
  if (!fields) return {};
  const written = (key: string, required: boolean) => {
    if (required && !fields.has(key)) reader.problem(fields.node, `${label} has no "${key}"`);
    return fields.has(key);
  };
  const list = (key: string, check?: (name: string, item: unknown) => boolean) =>
    reader.names(fields.get(key), `"${key}" of ${label}`, check);

  const idNode = fields.get('id');
  const id = written('id', true) ? reader.text(idNode, `"id" of ${label}`) : undefined;
  if (id !== undefined && !LOWER_DASHES.test(id)) {
    reader.problem(idNode, `purpose id "${id}" must be lower-case words joined by dashes`);
  }
  const text = written('text', true)
    ? reader.text(fields.get('text'), `"text" of ${label}`)
    : undefined;
  const records = written('records', true)
    ? list('records', (kind, item) => {
        if (LOWER_DASHES.test(kind)) return true;
        reader.problem(item, `record kind "${kind}" must be lower-case words joined by dashes`);
        return false;
      })
    : undefined;
  // No `categories`: whatever categories its records hold, so every category the policy declares.
  const categories = written('categories', false)
    ? list('categories', (category, item) => {
        if (context.categories.includes(category)) return true;
        reader.problem(item, `unknown category "${category}" (not declared under "categories")`);
        return false;
      })
    : [...context.categories];
  const recipients = written('recipients', false) ? list('recipients') : undefined;
  const heldNode = fields.get('heldByDisputes');
  const heldByDisputes: unknown = isScalar(heldNode) ? heldNode.value : undefined;
  const heldOk = !written('heldByDisputes', false) || typeof heldByDisputes === 'boolean';
  if (!heldOk) reader.problem(heldNode, `"heldByDisputes" of ${label} must be true or false`);
  const rules = readPurposeRules({ reader, clocks: context.clocks, purpose: label }, fields);

  const recipientsOk = !fields.has('recipients') || recipients !== undefined;
  if (!id || !text || !records || !categories || !rules || !recipientsOk || !heldOk) {
    return { idNode };
  }
  return {
    idNode,
    purpose: {
      id,
      text,
      records,
      categories,
      rules,
      ...(heldByDisputes === true ? { heldByDisputes } : {}),
      ...(recipients ? { recipients } : {}),
    },
  };
}
