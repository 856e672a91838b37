import { createHmac } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { PublishedEvent } from '../../../libs/domain/events/published-event';

/**
 * A keyed digest of what the publisher sent, kept with the stored event, so that a retry
 * under a known `eventId` is recognised (same digest: the first answer again) or refused
 * (another body: 409). Keyed, because the body holds personal data that a plain hash would
 * let anyone confirm by guessing; canonical (sorted keys, normalized instants), so that the
 * same event serialised differently is still the same event.
 */
export function requestDigest(key: Buffer, event: PublishedEvent): string {
  return createHmac('sha256', key).update(canonicalJson(event)).digest('base64url');
}

/**
 * The text the digest covers: JSON with every object's keys sorted, exactly as
 * safe-stable-stringify writes it, since the digests already in the log were computed over
 * that text. Written by hand for the plain values a JSON body holds, which is a third of the
 * digest's cost cheaper (bench/publish-pipeline-cpu.ts); anything else (a class instance,
 * a typed array, a bigint, a cycle) goes to safe-stable-stringify itself.
 */
export function canonicalJson(value: unknown): string {
  try {
    return plainJson(value, 0) ?? '';
  } catch (error) {
    if (!(error instanceof NotPlainJson)) throw error;
    return stringify(value) ?? '';
  }
}

class NotPlainJson extends Error {}

/** Deeper than any body the ledger accepts; a cycle ends here too. */
const MAX_DEPTH = 1000;

// Strings without a character JSON escapes are written as they are, as safe-stable-stringify
// does; the others as JSON.stringify writes them.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f\u0022\u005c\ud800-\udfff]/;

function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function plainJson(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new NotPlainJson();
      if (Array.isArray(value)) return arrayJson(value, depth + 1);
      return objectJson(value, depth + 1);
    default:
      throw new NotPlainJson();
  }
}

function arrayJson(array: readonly unknown[], depth: number): string {
  if (Object.getPrototypeOf(array) !== Array.prototype) throw new NotPlainJson();
  if (typeof (array as { toJSON?: unknown }).toJSON === 'function') throw new NotPlainJson();
  let text = '';
  for (let i = 0; i < array.length; i++) {
    text += `${i === 0 ? '' : ','}${plainJson(array[i], depth) ?? 'null'}`;
  }
  return `[${text}]`;
}

function objectJson(object: object, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) throw new NotPlainJson();
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') throw new NotPlainJson();
  const keys = Object.keys(object).sort();
  let text = '';
  for (const key of keys) {
    const field = plainJson((object as Record<string, unknown>)[key], depth);
    if (field !== undefined) text += `${text === '' ? '' : ','}${jsonString(key)}:${field}`;
  }
  return `{${text}}`;
}
