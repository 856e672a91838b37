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

  @ApiProperty({ description: "The subject's pseudonym (the ledger never sends the platform id)" })
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
