import { readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { formatProblem, type PolicyProblem } from '../../policy/policy-errors';
import { YamlReader, type Fields } from '../../policy/policy-file/yaml-reader';
import {
  NO_SYSTEMS,
  type DownstreamSystem,
  type SystemsRegistry,
  type WebhookDelivery,
} from './downstream-systems';
import { parseFixedDuration } from './fixed-duration';

export class SystemsFileError extends Error {
  readonly code = 'SYSTEMS.INVALID_FILE';
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SystemsFileError';
  }
}

const SYSTEM_KEYS = ['id', 'categories', 'acknowledgeWithin', 'delivery', 'webhook'];
const WEBHOOK_KEYS = ['url', 'secret', 'maxTries', 'backoff'];
const BACKOFF_KEYS = ['first', 'max'];
const SYSTEM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MIN_SECRET_LENGTH = 32;
const DEFAULTS = { maxTries: 8, backoffFirst: 'PT10S', backoffMax: 'PT1H' };

/** Reads `LEDGER_SYSTEMS`; no file, no system. Categories are checked against the policy's. */
export function loadSystemsFile(
  file: string | undefined,
  knownCategories: readonly string[],
): SystemsRegistry {
  if (file === undefined) return NO_SYSTEMS;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new SystemsFileError([{ file, line: 0, reason: `cannot read the file (${code})` }]);
  }
  return parseSystemsFile(text, file, knownCategories);
}

/**
 * The registry of downstream systems, YAML (or JSON, which YAML reads): every problem is
 * collected with its line, then one error lists them all, as for the policy file.
 */
export function parseSystemsFile(
  text: string,
  file: string,
  knownCategories: readonly string[],
): SystemsRegistry {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const reader = new YamlReader(file, lines);
  for (const error of doc.errors) {
    reader.problems.push({
      file,
      line: lines.linePos(error.pos[0]).line,
      reason: error.message.split('\n')[0],
    });
  }
  if (reader.problems.length > 0) throw new SystemsFileError(reader.problems);
  const top = reader.fields(doc.contents, 'the systems file', ['systems']);
  const items = top ? reader.items(top.get('systems'), '"systems"') : undefined;
  const systems: DownstreamSystem[] = [];
  for (const item of items ?? []) {
    const system = readSystem(reader, item, knownCategories);
    if (!system) continue;
    if (systems.some((s) => s.id === system.id)) {
      reader.problem(item, `system "${system.id}" is listed twice`);
    } else {
      systems.push(system);
    }
  }
  if (top && !top.has('systems')) reader.problem(top.node, '"systems" is required');
  if (reader.problems.length > 0) throw new SystemsFileError(reader.problems);
  return { file, systems };
}

function readSystem(
  reader: YamlReader,
  node: unknown,
  knownCategories: readonly string[],
): DownstreamSystem | undefined {
  const fields = reader.fields(node, 'a system', SYSTEM_KEYS);
  if (!fields) return undefined;
  const before = reader.problems.length;
  const id = required(reader, fields, 'id', (n) => reader.text(n, 'id'));
  if (id !== undefined && !SYSTEM_ID.test(id)) {
    reader.problem(fields.get('id'), `id "${id}" must be lower-case letters, digits and dashes`);
  }
  const what = id ? `system "${id}"` : 'a system';
  const categories = required(reader, fields, 'categories', (n) =>
    reader.names(n, `the categories of ${what}`, (name, item) =>
      reader.oneOf(name, item, 'category', knownCategories),
    ),
  );
  const acknowledgeWithin = required(reader, fields, 'acknowledgeWithin', (n) =>
    duration(reader, n, `acknowledgeWithin of ${what}`),
  );
  const kind = required(reader, fields, 'delivery', (n) => {
    const name = reader.text(n, `delivery of ${what}`);
    return name !== undefined && reader.oneOf(name, n, 'delivery', ['webhook', 'pull'])
      ? (name as 'webhook' | 'pull')
      : undefined;
  });
  let delivery: DownstreamSystem['delivery'] | undefined;
  if (kind === 'pull') {
    if (fields.has('webhook')) reader.problem(fields.get('webhook'), `${what} pulls: no webhook`);
    delivery = { kind: 'pull' };
  } else if (kind === 'webhook') {
    delivery = required(reader, fields, 'webhook', (n) => readWebhook(reader, n, what));
  }
  if (reader.problems.length > before || !id || !categories || !acknowledgeWithin || !delivery) {
    return undefined;
  }
  return {
    id,
    categories,
    acknowledgeWithin: acknowledgeWithin.text,
    acknowledgeWithinMs: acknowledgeWithin.ms,
    delivery,
  };
}

function readWebhook(reader: YamlReader, node: unknown, what: string): WebhookDelivery | undefined {
  const fields = reader.fields(node, `the webhook of ${what}`, WEBHOOK_KEYS);
  if (!fields) return undefined;
  const url = required(reader, fields, 'url', (n) => {
    const text = reader.text(n, `the webhook url of ${what}`);
    if (text !== undefined && !isHttpUrl(text)) {
      reader.problem(n, `the webhook url of ${what} must be an http:// or https:// URL`);
      return undefined;
    }
    return text;
  });
  const secret = required(reader, fields, 'secret', (n) => {
    const text = isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
    // The message never quotes the secret.
    if (text !== undefined && text.length >= MIN_SECRET_LENGTH) return text;
    reader.problem(
      n,
      `the webhook secret of ${what} must be a string of ${MIN_SECRET_LENGTH} characters or more`,
    );
    return undefined;
  });
  const maxTries = fields.has('maxTries')
    ? tries(reader, fields.get('maxTries'), what)
    : DEFAULTS.maxTries;
  let first = { text: DEFAULTS.backoffFirst, ms: parseFixedDuration(DEFAULTS.backoffFirst)! };
  let max = { text: DEFAULTS.backoffMax, ms: parseFixedDuration(DEFAULTS.backoffMax)! };
  if (fields.has('backoff')) {
    const backoff = reader.fields(fields.get('backoff'), `the backoff of ${what}`, BACKOFF_KEYS);
    const read = (key: string) =>
      backoff?.has(key)
        ? duration(reader, backoff.get(key), `backoff.${key} of ${what}`)
        : undefined;
    first = read('first') ?? first;
    max = read('max') ?? max;
    if (max.ms < first.ms)
      reader.problem(backoff?.node, `backoff.max of ${what} is shorter than backoff.first`);
  }
  if (!url || !secret || maxTries === undefined) return undefined;
  return { kind: 'webhook', url, secret, maxTries, backoffFirstMs: first.ms, backoffMaxMs: max.ms };
}

function required<T>(
  reader: YamlReader,
  fields: Fields,
  key: string,
  read: (node: unknown) => T | undefined,
): T | undefined {
  if (fields.has(key)) return read(fields.get(key));
  reader.problem(fields.node, `"${key}" is required`);
  return undefined;
}

function duration(reader: YamlReader, node: unknown, what: string) {
  const text = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  const ms = text === undefined ? undefined : parseFixedDuration(text);
  if (text !== undefined && ms !== undefined) return { text, ms };
  reader.problem(
    node,
    `${what} must be an ISO-8601 duration in weeks, days, hours, minutes or seconds, such as P2D, PT48H or PT30S`,
  );
  return undefined;
}

function tries(reader: YamlReader, node: unknown, what: string): number | undefined {
  const value: unknown = isScalar(node) ? node.value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100)
    return value;
  reader.problem(node, `maxTries of ${what} must be a whole number from 1 to 100`);
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
