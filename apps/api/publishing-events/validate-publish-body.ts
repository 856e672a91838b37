import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import {
  isPlatformEventType,
  type PersonalData,
  type PlatformEventType,
  type PublishedEvent,
} from '../../../libs/domain/events';
import { EVENT_DATA_DTOS } from './event-data.request.dtos';
import { dtoVerdict, type DtoVerdict } from './dto-verdict';
import { EventEnvelopeDto } from './event-envelope.request.dto';
import { hasValueFreeReason, isJsonObject } from './event-fields.decorators';

export interface PublishBodyContext {
  readonly now: Date;
  /** The policy's category names: the only keys `personalData` may have. */
  readonly knownCategories: ReadonlySet<string>;
  /** 1000 in the public contract. */
  readonly maxBatchSize: number;
  /** How far ahead of `now` an `occurredAt` may be: 5 minutes in the public contract. */
  readonly maxClockSkewMs: number;
}

export type PublishBodyValidation =
  | { readonly ok: true; readonly events: PublishedEvent[]; readonly batch: boolean }
  | { readonly ok: false; readonly problems: string[] };

/**
 * Checks a `POST /v1/events` body (one envelope, or `{ "events": [...] }`) and lists every
 * problem of every event, one `"<path>: <reason>"` line each. No line repeats a submitted
 * value: values may be personal data, and these lines go back to the caller and into logs.
 */
export function validatePublishBody(
  body: unknown,
  context: PublishBodyContext,
): PublishBodyValidation {
  if (!isJsonObject(body)) {
    return refuse(['body: must be a JSON object: one event envelope, or { "events": [...] }']);
  }
  if (!Object.hasOwn(body, 'events')) {
    const problems = envelopeProblems(body, '', context);
    return problems.length > 0 ? refuse(problems) : accept([toPublishedEvent(body)], false);
  }

  const problems = Object.keys(body)
    .filter((key) => key !== 'events')
    .map((key) => `${pathTo('', key)}: is not an allowed field (a batch holds only "events")`);
  const { events } = body;
  if (!Array.isArray(events)) return refuse([...problems, 'events: must be an array of envelopes']);
  if (events.length === 0) return refuse([...problems, 'events: must hold at least one event']);
  if (events.length > context.maxBatchSize) {
    // The problems of each of a hundred thousand events would help no one and cost the server.
    return refuse([...problems, `events: must hold at most ${context.maxBatchSize} events`]);
  }
  events.forEach((event: unknown, index) => {
    const path = `events[${index}]`;
    problems.push(
      ...(isJsonObject(event)
        ? envelopeProblems(event, path, context)
        : [`${path}: must be an event envelope (a JSON object)`]),
    );
  });
  problems.push(...repeatedEventIdProblems(events));
  return problems.length > 0 ? refuse(problems) : accept(events.map(toPublishedEvent), true);
}

function refuse(problems: readonly string[]): PublishBodyValidation {
  return { ok: false, problems: [...new Set(problems)] };
}

function accept(events: PublishedEvent[], batch: boolean): PublishBodyValidation {
  return { ok: true, events, batch };
}

const ENVELOPE_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};
// Data DTOs are built here, from our own classes, once the value is known to be an object;
// `forbidUnknownValues` would then only refuse the two DTOs that rightly have no fields.
const DATA_OPTIONS: ValidatorOptions = { ...ENVELOPE_OPTIONS, forbidUnknownValues: false };

// A valid DTO is recognised without `validateSync`; an invalid one gets its problems from it.
const isValidEnvelope = dtoVerdict(EventEnvelopeDto, ENVELOPE_OPTIONS);
const isValidDataByType = new Map<PlatformEventType, DtoVerdict>(
  Object.entries(EVENT_DATA_DTOS).map(([type, dto]) => [
    type as PlatformEventType,
    dtoVerdict(dto, DATA_OPTIONS),
  ]),
);

function envelopeProblems(
  envelope: Record<string, unknown>,
  path: string,
  context: PublishBodyContext,
): string[] {
  const errors = isValidEnvelope(envelope)
    ? []
    : validateSync(toInstance(EventEnvelopeDto, envelope), ENVELOPE_OPTIONS);
  const problems = [...inheritedKeyProblems(envelope, path), ...errorLines(errors, path)];
  const { type, data, occurredAt, personalData } = envelope;

  if (isPlatformEventType(type) && isJsonObject(data)) {
    problems.push(...dataProblems(type, data, pathTo(path, 'data')));
  }
  const occurredAtIsValid = !errors.some((error) => error.property === 'occurredAt');
  if (occurredAtIsValid && isTooFarAhead(occurredAt as string, context)) {
    problems.push(
      `${pathTo(path, 'occurredAt')}: is in the future ` +
        `(more than ${durationText(context.maxClockSkewMs)} ahead of the ledger's clock)`,
    );
  }
  if (isJsonObject(personalData)) {
    problems.push(...categoryProblems(personalData, pathTo(path, 'personalData'), context));
  }
  return problems;
}

function isTooFarAhead(occurredAt: string, context: PublishBodyContext): boolean {
  return Date.parse(occurredAt) - context.now.getTime() > context.maxClockSkewMs;
}

function durationText(ms: number): string {
  if (ms === 0 || ms % 60_000 !== 0) return `${ms} ms`;
  const minutes = ms / 60_000;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function dataProblems(type: PlatformEventType, data: Record<string, unknown>, path: string) {
  const errors = isValidDataByType.get(type)!(data)
    ? []
    : validateSync(toInstance(EVENT_DATA_DTOS[type], data), DATA_OPTIONS);
  return [...inheritedKeyProblems(data, path), ...errorLines(errors, path)];
}

function categoryProblems(
  personalData: Record<string, unknown>,
  path: string,
  context: PublishBodyContext,
): string[] {
  return Object.entries(personalData).flatMap(([category, fields]) => {
    const categoryPath = pathTo(path, category);
    if (!context.knownCategories.has(category)) {
      return [`${categoryPath}: is not a category of the policy`];
    }
    return isJsonObject(fields) ? [] : [`${categoryPath}: must be an object of personal fields`];
  });
}

/**
 * The DTO instance class-validator checks: the body's own fields, as they are, one level
 * deep. Not class-transformer's `plainToInstance`: it recurses into nested values and throws
 * on a `constructor` key in them (a 500 from a crafted body), and drops keys such as
 * `toString` without a word.
 */
function toInstance<T extends object>(dto: new () => T, fields: Record<string, unknown>): T {
  const instance = new dto();
  for (const [key, value] of Object.entries(fields)) {
    if (OBJECT_PROTOTYPE_KEYS.has(key)) continue; // reported by inheritedKeyProblems
    Object.defineProperty(instance, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return instance;
}

// `__proto__`, `constructor`, `hasOwnProperty`...: no DTO has such a field, and
// class-validator's whitelist lets some of them through (it looks them up in a plain object).
const OBJECT_PROTOTYPE_KEYS: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

function inheritedKeyProblems(object: Record<string, unknown>, path: string): string[] {
  return Object.keys(object)
    .filter((key) => OBJECT_PROTOTYPE_KEYS.has(key))
    .map((key) => `${pathTo(path, key)}: is not an allowed field`);
}

function repeatedEventIdProblems(events: readonly unknown[]): string[] {
  const firstIndexById = new Map<string, number>();
  return events.flatMap((event, index) => {
    const eventId = isJsonObject(event) ? event.eventId : undefined;
    if (typeof eventId !== 'string') return [];
    const first = firstIndexById.get(eventId);
    if (first !== undefined) return [`events[${index}].eventId: repeats that of events[${first}]`];
    firstIndexById.set(eventId, index);
    return [];
  });
}

// The checks class-validator makes on its own; ours carry their reason (event-fields.decorators).
const BUILT_IN_REASONS: Readonly<Record<string, string>> = {
  whitelistValidation: 'is not an allowed field',
  unknownValue: 'must be an object',
  nestedValidation: 'must be an object or an array',
};

function errorLines(errors: readonly ValidationError[], path: string): string[] {
  return errors.flatMap((error) => {
    const errorPath = pathTo(path, error.property);
    const own = Object.entries(error.constraints ?? {}).map(
      ([constraint, message]) => `${errorPath || 'body'}: ${reasonOf(constraint, message)}`,
    );
    return [...own, ...errorLines(error.children ?? [], errorPath)];
  });
}

/** A message we did not write may quote the value (`$value`): it is not passed on. */
function reasonOf(constraint: string, message: string): string {
  if (hasValueFreeReason(constraint)) return message;
  return BUILT_IN_REASONS[constraint] ?? 'is not valid';
}

// Field and category names are shown (they are not personal), but a key that does not look
// like a name may be a value put where a name goes (`{ "ana@b.fr": ... }`): it is withheld.
const NAME_LIKE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

function pathTo(path: string, key: string | undefined): string {
  if (key === undefined) return path;
  const segment = NAME_LIKE.test(key) ? key : '<name withheld>';
  return path === '' ? segment : `${path}.${segment}`;
}

interface ValidEnvelope {
  readonly eventId: string;
  readonly type: PlatformEventType;
  readonly subjectId: string;
  readonly occurredAt: string;
  readonly source: string;
  readonly data?: object;
  readonly personalData?: PersonalData;
}

/** Only called once the envelope is known valid. Copies, so the caller's body is not shared. */
function toPublishedEvent(valid: unknown): PublishedEvent {
  const envelope = valid as ValidEnvelope;
  return {
    eventId: envelope.eventId,
    type: envelope.type,
    subjectId: envelope.subjectId,
    occurredAt: normalizedInstant(envelope.occurredAt),
    source: envelope.source,
    data: copyJson(envelope.data ?? {}) as PublishedEvent['data'],
    ...(envelope.personalData !== undefined && {
      personalData: copyJson(envelope.personalData) as PersonalData,
    }),
  };
}

/** As `toISOString` writes it. Publishers mostly send whole seconds: no Date needed then. */
function normalizedInstant(utcTimestamp: string): string {
  if (utcTimestamp.length === 20) return `${utcTimestamp.slice(0, 19)}.000Z`;
  return new Date(utcTimestamp).toISOString();
}

/**
 * A deep copy of a value parsed from JSON, `__proto__` keys included (as own properties).
 * By hand: the JSON round trip it replaces cost 10 us per event with 500 bytes of personal
 * data (bench/publish-pipeline-cpu.ts), this a fraction of it.
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = copyJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = field;
    }
  }
  return copy;
}
