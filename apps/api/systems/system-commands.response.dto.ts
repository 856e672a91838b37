import { ApiProperty } from '@nestjs/swagger';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

/** A command as the system receives it (the webhook's body is the same object). */
export class SystemCommandDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Deterministic: a command sent again has the same id',
  })
  commandId!: string;

  @ApiProperty({ example: 'crm' })
  system!: string;

  @ApiProperty({ enum: ['erase', 'archive', 'request-renewal'] })
  action!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'user-42',
    description:
      "The platform's id of the subject, to act on: kept in the vault (never in the log) " +
      'until every system has acknowledged the erasure of its last record; null after that',
  })
  subjectId!: string | null;

  @ApiProperty({ description: "The subject's pseudonym in the ledger (its stream's name)" })
  subject!: string;

  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The RecordErased, RecordArchived or RenewalRequested',
  })
  factEventId!: string;

  @ApiProperty(INSTANT)
  issuedAt!: string | null;

  @ApiProperty({ ...INSTANT, description: 'issuedAt plus the system acknowledgement SLA' })
  dueBy!: string | null;
}

export class SystemCommandsDto {
  @ApiProperty({ example: 'crm' })
  system!: string;

  @ApiProperty({ type: [SystemCommandDto], description: 'Not acknowledged yet, oldest first' })
  commands!: SystemCommandDto[];
}

export class CommandAcknowledgedDto {
  @ApiProperty({ format: 'uuid' })
  commandId!: string;

  @ApiProperty(INSTANT)
  acknowledgedAt!: string;

  @ApiProperty({ description: 'true when the command had been acknowledged already' })
  duplicate!: boolean;
}
