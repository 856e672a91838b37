import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import {
  PLATFORM_EVENT_TYPES,
  isEventTypeWithoutData,
  isPlatformEventType,
  type PersonalData,
  type PlatformEventType,
} from '../../../libs/domain/events';
import { EVENT_DATA_DTOS } from './event-data.request.dtos';
import {
  EnumField,
  IdField,
  ObjectField,
  PrintableIdField,
  UtcTimestampField,
  UuidField,
} from './event-fields.decorators';

const EVENT_DATA_DTO_CLASSES = Object.values(EVENT_DATA_DTOS);

/**
 * `data` is checked here only as an object; its fields are checked by the DTO of its type
 * (EVENT_DATA_DTOS), and not at all when the type is unknown: there is nothing to check
 * them against. The two types without data may omit it.
 */
function dataIsChecked(envelope: object, data: unknown): boolean {
  const { type } = envelope as { type?: unknown };
  if (!isPlatformEventType(type)) return false;
  return data !== undefined || !isEventTypeWithoutData(type);
}

/** One event as a platform service publishes it (spec/events.md, "Envelope"). */
@ApiExtraModels(...EVENT_DATA_DTO_CLASSES)
export class EventEnvelopeDto {
  @UuidField({
    description: 'The idempotency key: the same event published twice is stored once.',
    example: '8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10',
  })
  eventId!: string;

  @EnumField(PLATFORM_EVENT_TYPES, {
    description: 'Decides the shape of `data`.',
    example: 'AccountCreated',
  })
  type!: PlatformEventType;

  @PrintableIdField({
    description: "The platform's own id for the person; no control characters.",
    example: 'user-42',
  })
  subjectId!: string;

  @UtcTimestampField({
    description: 'When it happened on the platform, in UTC; at most 5 minutes ahead of the ledger.',
    example: '2024-03-01T10:00:00Z',
  })
  occurredAt!: string;

  @IdField({ description: 'The publishing service.', example: 'marketplace-api' })
  source!: string;

  @ObjectField(
    { anyOf: EVENT_DATA_DTO_CLASSES.map((dto) => ({ $ref: getSchemaPath(dto) })) },
    {
      description:
        "The type's fields, never personal data; an unknown field is refused. " +
        'May be omitted for LastActivity and VisitRecorded.',
      example: { role: 'member' },
      optional: true,
    },
    dataIsChecked,
  )
  data?: Record<string, unknown>;

  @ObjectField(
    {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: true },
    },
    {
      description:
        'Per category of the policy, the personal values themselves. Stored encrypted and ' +
        'destroyed for good when the record is erased. A category the policy does not know is refused.',
      example: { identification: { email: 'a@b.fr', firstName: 'Ana' } },
      optional: true,
    },
  )
  personalData?: PersonalData;
}

/**
 * `{ "events": [...] }`: all stored, or none. For the OpenAPI document only: validatePublishBody
 * checks batches itself, because their size limit is configuration and each event's `data`
 * depends on its type.
 */
export class PublishBatchRequestDto {
  @ApiProperty({ type: [EventEnvelopeDto], minItems: 1, maxItems: 1000 })
  events!: EventEnvelopeDto[];
}
