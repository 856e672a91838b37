import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { PolicyFileError, type PolicyProblem } from './policy-errors';
import type { Policy } from './policy';

export const BUNDLED_POLICY_FILE = join(__dirname, 'policies', '2023-01-24.yaml');

const CATEGORY_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** Reads and checks a policy file; every problem is reported with its line. */
export function loadPolicyFile(file: string = BUNDLED_POLICY_FILE): Policy {
  return parsePolicy(readFileSync(file), file);
}

export function parsePolicy(bytes: Buffer, file: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter: lines, prettyErrors: false });
  const problems: PolicyProblem[] = doc.errors.map((e) => ({
    file,
    line: lines.linePos(e.pos[0]).line,
    reason: e.message.split('\n')[0],
  }));
  const lineOf = (node: unknown) =>
    node && typeof node === 'object' && 'range' in node && (node as Node).range
      ? lines.linePos((node as Node).range![0]).line
      : 0;
  const problem = (node: unknown, reason: string) =>
    problems.push({ file, line: lineOf(node), reason });

  const root = doc.contents;
  if (!isMap(root)) {
    problem(root, 'the policy must be a mapping (version, effectiveFrom, categories, ...)');
    throw new PolicyFileError(problems);
  }
  const text = (key: string, required: boolean): string | undefined => {
    const node = root.get(key, true);
    if (node === undefined) {
      if (required) problem(root, `"${key}" is required`);
      return undefined;
    }
    const value: unknown = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      problem(node, `"${key}" must be a non-empty string`);
      return undefined;
    }
    return value;
  };

  const version = text('version', true);
  const effectiveFrom = text('effectiveFrom', true);
  if (
    effectiveFrom !== undefined &&
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(effectiveFrom)
  ) {
    problem(
      root.get('effectiveFrom', true),
      '"effectiveFrom" must be an ISO-8601 UTC instant such as 2023-01-24T00:00:00Z',
    );
  }
  const controller = text('controller', false);

  const categories: Record<string, string> = {};
  const categoriesNode = root.get('categories', true);
  if (!isMap(categoriesNode) || categoriesNode.items.length === 0) {
    problem(categoriesNode ?? root, '"categories" must map each category id to its description');
  } else {
    for (const pair of categoriesNode.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!CATEGORY_ID.test(id))
        problem(pair.key, `category id "${id}" must be lower-case letters, digits and dashes`);
      const description = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof description !== 'string' || description.trim() === '') {
        problem(pair.value ?? pair.key, `category "${id}" needs a description`);
      }
      categories[id] = String(description ?? '');
    }
  }

  if (problems.length > 0) throw new PolicyFileError(problems);
  return {
    version: version!,
    effectiveFrom: effectiveFrom!,
    controller,
    categories,
    clocks: {},
    purposes: [],
    sha256: createHash('sha256').update(bytes).digest('hex'),
    file,
  };
}
