import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { ValidateBy, ValidateIf, isISO4217CurrencyCode, isUUID } from 'class-validator';

/**
 * Field decorators for the request DTOs of `POST /v1/events`. Each pairs one rule with its
 * OpenAPI description, so the document and the check cannot drift apart.
 *
 * Each rule has one fixed reason, written without the submitted value: values can be
 * personal data (an email in the wrong field), and problem lines go back in the 400 answer
 * and into logs. One rule per field also gives one problem line per faulty field.
 */

export interface FieldOptions {
  readonly description: string;
  readonly example?: unknown;
  /** May be absent. `null` is not absence: it is checked, and refused, like any value. */
  readonly optional?: boolean;
}

interface Rule {
  readonly name: string;
  readonly reason: string;
  readonly isValid: (value: unknown) => boolean;
}

type SkipUnless = (object: object, value: unknown) => boolean;

export const ID_MAX_LENGTH = 200;

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const characters = [...value].length;
  return characters >= 1 && characters <= ID_MAX_LENGTH;
}

// Control and format characters (bidi overrides included), lone surrogates, line breaks.
const PRINTABLE_ID = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u;
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * A real date and time: `Date` would roll 2024-02-30 over to March 1st. Checked by hand, not
 * by a round trip through `Date`, which cost 4 us per event (bench/publish-pipeline-cpu.ts).
 */
export function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !UTC_TIMESTAMP.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    Number(value.slice(11, 13)) <= 23 &&
    Number(value.slice(14, 16)) <= 59 &&
    Number(value.slice(17, 19)) <= 59
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Proleptic Gregorian, as `Date`: year 0 is a leap year, 1900 is not. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

// Names of the rules `field` was given: their reasons are fixed text, safe to send back.
const valueFreeRules = new Set<string>();

/** Whether a class-validator constraint is one of ours, whose reason names no value. */
export function hasValueFreeReason(constraint: string): boolean {
  return valueFreeRules.has(constraint);
}

function field(
  rule: Rule,
  openApi: ApiPropertyOptions,
  options: FieldOptions,
  skipUnless?: SkipUnless,
): PropertyDecorator {
  valueFreeRules.add(rule.name);
  const condition: SkipUnless | undefined =
    skipUnless ?? (options.optional ? (_object, value) => value !== undefined : undefined);
  const decorators: PropertyDecorator[] = [
    ApiProperty({
      ...openApi,
      description: options.description,
      required: !options.optional,
      ...(options.example !== undefined && { example: options.example }),
    } as ApiPropertyOptions),
    ValidateBy(
      { name: rule.name, validator: { validate: rule.isValid } },
      { message: rule.reason },
    ),
    ...(condition ? [ValidateIf(condition)] : []),
  ];
  return (target, propertyKey) => decorators.forEach((decorate) => decorate(target, propertyKey));
}

const idRule: Rule = {
  name: 'isId',
  reason: `must be a string of 1 to ${ID_MAX_LENGTH} characters`,
  isValid: isId,
};

export const IdField = (options: FieldOptions) =>
  field(idRule, { type: String, minLength: 1, maxLength: ID_MAX_LENGTH }, options);

export const PrintableIdField = (options: FieldOptions) =>
  field(
    {
      name: 'isPrintableId',
      reason: `must be a string of 1 to ${ID_MAX_LENGTH} printable characters`,
      isValid: (value) => typeof value === 'string' && PRINTABLE_ID.test(value),
    },
    // No `pattern`: `\p{...}` needs the `u` flag, which OpenAPI tools do not all apply.
    { type: String, minLength: 1, maxLength: ID_MAX_LENGTH },
    options,
  );

export const UuidField = (options: FieldOptions) =>
  field(
    { name: 'isUuid', reason: 'must be a UUID', isValid: (value) => isUUID(value) },
    { type: String, format: 'uuid' },
    options,
  );

export const UtcTimestampField = (options: FieldOptions) =>
  field(
    {
      name: 'isUtcTimestamp',
      reason: 'must be a real UTC date and time in ISO 8601 form, like 2024-03-01T10:00:00Z',
      isValid: isUtcTimestamp,
    },
    { type: String, format: 'date-time', pattern: UTC_TIMESTAMP.source },
    options,
  );

export const EnumField = (values: readonly string[], options: FieldOptions) =>
  field(
    {
      name: 'isOneOf',
      reason: `must be one of: ${values.join(', ')}`,
      isValid: (value) => typeof value === 'string' && values.includes(value),
    },
    { type: String, enum: [...values] },
    options,
  );

export const AmountField = (options: FieldOptions) =>
  field(
    {
      name: 'isFiniteNumber',
      reason: 'must be a finite number',
      isValid: (value) => typeof value === 'number' && Number.isFinite(value),
    },
    { type: Number },
    options,
  );

export const CurrencyField = (options: FieldOptions) =>
  field(
    {
      name: 'isCurrencyCode',
      reason: 'must be an ISO 4217 currency code in upper case, like EUR',
      // The library's check ignores case; the contract does not.
      isValid: (value) =>
        typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isISO4217CurrencyCode(value),
    },
    { type: String, pattern: '^[A-Z]{3}$' },
    options,
  );

export const BooleanField = (options: FieldOptions) =>
  field(
    { name: 'isBoolean', reason: 'must be true or false', isValid: (v) => typeof v === 'boolean' },
    { type: Boolean },
    options,
  );

export const IdListField = (options: FieldOptions) =>
  field(
    {
      name: 'isIdList',
      reason: `must be an array of strings of 1 to ${ID_MAX_LENGTH} characters`,
      isValid: (value) => Array.isArray(value) && value.every(isId),
    },
    { type: [String] },
    options,
  );

/** An object whose fields are checked elsewhere; `skipUnless` decides when it is checked. */
export const ObjectField = (
  openApi: ApiPropertyOptions,
  options: FieldOptions,
  skipUnless?: SkipUnless,
) =>
  field(
    { name: 'isObject', reason: 'must be an object', isValid: isJsonObject },
    openApi,
    options,
    skipUnless,
  );
