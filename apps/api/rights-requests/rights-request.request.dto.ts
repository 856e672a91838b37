import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, ValidateIf } from 'class-validator';
import { RIGHTS, type DataSubjectRight } from '../../../libs/domain/events/event-catalogue';
import { isUtcTimestamp } from '../publishing-events/event-fields.decorators';

const ID = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u;
const isId = (value: unknown) => typeof value === 'string' && ID.test(value);

/** One check whose problem line names the field and never quotes the value. */
function Check(name: string, validate: (value: unknown) => boolean, message: string) {
  return ValidateBy({ name, validator: { validate } }, { message });
}
const present = (_dto: object, value: unknown) => value !== undefined;

/**
 * A rights request a compliance officer records (section 6 of the policy). Purpose ids are
 * checked against the policy in force by the handler; nothing is stored when any check fails.
 */
export class RightsRequestDto {
  @ApiProperty({ enum: RIGHTS, description: 'The right exercised.', example: 'erasure' })
  @Check(
    'isRight',
    (v) => typeof v === 'string' && (RIGHTS as readonly string[]).includes(v),
    `right: must be one of ${RIGHTS.join(', ')}`,
  )
  right!: DataSubjectRight;

  @ApiProperty({
    type: [String],
    required: false,
    example: ['marketing'],
    description:
      'Purpose ids of the policy in force the request is limited to (an objection: ' +
      '`marketing` when none is named; a consent withdrawal: every consent-based purpose).',
  })
  @ValidateIf(present)
  @Check(
    'isPurposeList',
    (v) => Array.isArray(v) && v.length <= 50 && v.every(isId),
    'purposes: must be an array of at most 50 purpose ids',
  )
  purposes?: string[];

  @ApiProperty({
    required: false,
    example: '5b7e0c1a-3f61-4c8e-9d43-2a1f0e6b7c90',
    description:
      'Makes the call idempotent: the same id and body answer as the first time with ' +
      '`duplicate: true`; another body is a 409. Also answers a request a platform ' +
      'published with this id (any id, as platforms give them); a UUID is drawn when absent.',
  })
  @ValidateIf(present)
  @Check('isRequestId', isId, 'requestId: must be 1 to 200 printable characters')
  requestId?: string;

  @ApiProperty({
    format: 'date-time',
    required: false,
    example: '2026-03-01T10:00:00Z',
    description:
      'When the subject made the request (the month to answer counts from it); now when ' +
      'absent. Never in the future.',
  })
  @ValidateIf(present)
  @Check(
    'isUtcTimestamp',
    isUtcTimestamp,
    'receivedAt: must be a real UTC date and time in ISO 8601 form, like 2024-03-01T10:00:00Z',
  )
  receivedAt?: string;

  @ApiProperty({
    required: false,
    example: 'account',
    description: 'Rectification: the record whose old value is erased (a key of the schedule).',
  })
  @ValidateIf(present)
  @Check('isRecordKey', isId, 'recordKey: must be 1 to 200 printable characters')
  recordKey?: string;

  @ApiProperty({
    required: false,
    example: 'identification',
    description: 'Rectification: the category of that record.',
  })
  @ValidateIf(present)
  @Check('isCategory', isId, 'category: must be 1 to 200 printable characters')
  category?: string;
}
