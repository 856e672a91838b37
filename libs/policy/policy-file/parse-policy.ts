import { createHash } from 'node:crypto';
import { isMap, LineCounter, parseDocument, visit } from 'yaml';
import { BASE_CLOCKS } from '../../domain/subjects/clock-names';
import { PolicyFileError } from '../policy-errors';
import type { Policy } from '../policy';
import { readCategories } from './read-categories';
import { readClocks } from './read-clocks';
import { readPurposes } from './read-purposes';
import { readStorage } from './read-storage';
import { YamlReader } from './yaml-reader';

const TOP_KEYS = [
  'version',
  'effectiveFrom',
  'controller',
  'categories',
  'clocks',
  'purposes',
  'storage',
];
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Reads a policy file's bytes. Every problem is collected, with its line, before one
 * `PolicyFileError` lists them all: whoever fixes the file sees everything at once.
 */
export function parsePolicy(bytes: Buffer, file: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter: lines, prettyErrors: false });
  const reader = new YamlReader(file, lines);
  for (const error of doc.errors) {
    reader.problems.push({
      file,
      line: lines.linePos(error.pos[0]).line,
      reason: error.message.split('\n')[0],
    });
  }
  // What a broken document parses to is a guess: checking its shape would report noise.
  if (reader.problems.length > 0) throw new PolicyFileError(reader.problems);
  visit(doc, {
    Alias(_, alias) {
      reader.problems.push({
        file,
        line: reader.lineOf(alias),
        reason: `YAML aliases (*${alias.source}) are not supported: write the value out`,
      });
    },
  });

  const root = doc.contents;
  if (!isMap(root)) {
    reader.problem(root, 'the policy must be a mapping (version, effectiveFrom, categories, ...)');
    throw new PolicyFileError(reader.problems);
  }
  const top = reader.fields(root, 'the policy', TOP_KEYS)!;
  const text = (key: string, required: boolean): string | undefined => {
    if (!top.has(key)) {
      if (required) reader.problem(root, `"${key}" is required`);
      return undefined;
    }
    return reader.text(top.get(key), `"${key}"`);
  };
  const version = text('version', true);
  const effectiveFrom = text('effectiveFrom', true);
  if (effectiveFrom !== undefined && !isUtcInstant(effectiveFrom)) {
    reader.problem(
      top.get('effectiveFrom'),
      '"effectiveFrom" must be an ISO-8601 UTC instant such as 2023-01-24T00:00:00Z',
    );
  }
  const controller = text('controller', false);
  const categories = readCategories(reader, top.get('categories'), root);
  const { clocks, known } = readClocks(reader, top.get('clocks'), BASE_CLOCKS);
  if (!top.has('purposes')) reader.problem(root, '"purposes" is required');
  const purposes = top.has('purposes')
    ? readPurposes(
        { reader, clocks: known, categories: Object.keys(categories) },
        top.get('purposes'),
      )
    : [];
  const storage = readStorage(reader, top.get('storage'));

  if (reader.problems.length > 0) {
    // Stable: problems on one line keep the order they were found in.
    throw new PolicyFileError([...reader.problems].sort((a, b) => a.line - b.line));
  }
  return {
    version: version!,
    effectiveFrom: effectiveFrom!,
    ...(controller !== undefined ? { controller } : {}),
    categories,
    clocks,
    purposes,
    ...(storage ? { storage } : {}),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    file,
  };
}

/** The shape, and a date that exists (`2023-02-30` does not, though `Date` would roll it over). */
function isUtcInstant(value: string): boolean {
  if (!UTC_INSTANT.test(value)) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19);
}
