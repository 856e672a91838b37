import { ApiProperty } from '@nestjs/swagger';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class OverdueCommandDto {
  @ApiProperty({ format: 'uuid' })
  commandId!: string;

  @ApiProperty({ example: 'crm' })
  system!: string;

  @ApiProperty({ enum: ['erase', 'archive', 'request-renewal'] })
  action!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The platform's id; null once the subject was forgotten (its last record erased)",
  })
  subjectId!: string | null;

  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiProperty(INSTANT)
  issuedAt!: string;

  @ApiProperty({ ...INSTANT, description: 'issuedAt plus the system acknowledgement SLA' })
  dueBy!: string;

  @ApiProperty({ description: 'The webhook failed every try (CommandDeadLettered)' })
  deadLettered!: boolean;

  @ApiProperty({ description: 'Webhook tries so far (0 for a pull system)' })
  tries!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last webhook try failed: http-<status>, timeout or network',
  })
  lastError!: string | null;
}

export class OverdueRequestDto {
  @ApiProperty({ example: 'rr-19' })
  requestId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The platform's id; null once the subject was forgotten (its last record erased)",
  })
  subjectId!: string | null;

  @ApiProperty({ example: 'erasure' })
  right!: string;

  @ApiProperty(INSTANT)
  receivedAt!: string;

  @ApiProperty({ ...INSTANT, description: 'receivedAt plus one calendar month (art. 12(3))' })
  answerDueBy!: string;
}

export class OverdueCommandsDto {
  @ApiProperty({ ...INSTANT, description: "The ledger clock's now the SLAs were compared with" })
  asOf!: string;

  @ApiProperty({ type: [OverdueCommandDto], description: 'Most overdue first' })
  items!: OverdueCommandDto[];

  @ApiProperty({
    type: [OverdueRequestDto],
    description:
      'Rights requests (RightsRequestReceived, published or posted) with no ' +
      'RightsRequestAnswered by their due date, most overdue first. POST ' +
      '/v1/subjects/{subjectId}/requests with the same requestId, right and purposes answers one.',
  })
  requests!: OverdueRequestDto[];
}
