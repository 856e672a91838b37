import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFERRAL_REASONS } from '../../../libs/domain/events/ledger-written-events';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class RightsStepDto {
  @ApiProperty({
    enum: [
      'erased',
      'deferred',
      'archived',
      'purposes-stopped',
      'restricted',
      'restriction-lifted',
      'key-destroyed',
      'export-offered',
    ],
  })
  action!: string;

  @ApiPropertyOptional({ example: 'account' })
  recordKey?: string;

  @ApiPropertyOptional({ example: 'identification' })
  category?: string;

  @ApiPropertyOptional({ type: [String], example: ['marketing'] })
  purposes?: string[];

  @ApiPropertyOptional({
    description: 'The event that did it (RecordErased, ErasureDeferred, ...)',
  })
  eventId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Rectification: the destroyed keys' })
  keyFingerprints?: string[];
}

export class KeptRecordDto {
  @ApiProperty({ example: 'invoice:INV-7' })
  recordKey!: string;

  @ApiProperty({ example: 'billing' })
  category!: string;

  @ApiProperty({ enum: DEFERRAL_REASONS })
  reason!: string;
}

export class RightsAnswerDto {
  @ApiProperty({ format: 'uuid' })
  requestId!: string;

  @ApiProperty({ example: 'erasure' })
  right!: string;

  @ApiPropertyOptional({ type: [String] })
  purposes?: string[];

  @ApiProperty(INSTANT)
  receivedAt!: string;

  @ApiProperty({ ...INSTANT, description: 'receivedAt plus one calendar month (art. 12(3))' })
  answerDueBy!: string;

  @ApiProperty(INSTANT)
  answeredAt!: string;

  @ApiProperty({ example: '2023-01-24' })
  policyVersion!: string;

  @ApiProperty({ type: [RightsStepDto] })
  done!: RightsStepDto[];

  @ApiProperty({ type: [KeptRecordDto], description: 'Erasure: the records kept, and why' })
  kept!: KeptRecordDto[];

  @ApiPropertyOptional({ description: 'Access, portability: the export route of the subject' })
  export?: string;

  @ApiProperty({ description: 'The RightsRequestAnswered event' })
  answerEventId!: string;

  @ApiProperty({ description: 'True when this request id was answered before' })
  duplicate!: boolean;
}
