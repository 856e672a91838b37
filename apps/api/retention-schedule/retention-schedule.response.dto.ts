import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  Because,
  NextAction,
  PurposeSchedule,
  RecordSchedule,
} from '../../../libs/policy/evaluate/schedule.types';
import type { RetentionScheduleAnswer } from './retention-schedule.query';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class BecauseDto implements Because {
  @ApiProperty({ description: 'The clock that fixed the date', example: 'lastActivity' })
  clock!: string;

  @ApiProperty({
    ...INSTANT,
    description: "The clock's value",
    example: '2024-03-01T10:00:00.000Z',
  })
  at!: string;

  @ApiProperty({ description: 'The event that set the clock: the deadline can be proven' })
  eventId!: string;
}

export class NextActionDto implements NextAction {
  @ApiProperty({ enum: ['archive', 'erase', 'request-renewal'] })
  action!: 'archive' | 'erase' | 'request-renewal';

  @ApiProperty(INSTANT)
  dueAt!: string;

  @ApiPropertyOptional({ description: 'For request-renewal: the purpose to renew' })
  purpose?: string;
}

export class PurposeScheduleDto implements PurposeSchedule {
  @ApiProperty({ example: 'platform-access' })
  purpose!: string;

  @ApiProperty({ description: 'The legal bases, joined by ", "', example: 'contract' })
  legalBasis!: string;

  @ApiProperty({ type: [String], example: ['contract'] })
  legalBases!: string[];

  @ApiProperty({ ...INSTANT, nullable: true, description: 'null while no deadline is known' })
  activeUntil!: string | null;

  @ApiPropertyOptional({ ...INSTANT, description: 'Absent when the purpose has no archive phase' })
  archiveUntil?: string;

  @ApiProperty({ enum: ['erase', 'request-renewal'] })
  then!: 'erase' | 'request-renewal';

  @ApiProperty({ type: [BecauseDto] })
  because!: BecauseDto[];

  @ApiPropertyOptional({
    description: 'The clock that ended the purpose early (consent withdrawn, objection)',
  })
  stoppedBy?: string;
}

export class DownstreamCommandDto {
  @ApiProperty({ example: 'crm' })
  system!: string;

  @ApiProperty({ enum: ['erase', 'archive', 'request-renewal'] })
  action!: string;

  @ApiProperty({ format: 'uuid' })
  commandId!: string;

  @ApiProperty({
    enum: ['owed', 'pending', 'dead-lettered', 'acknowledged'],
    description: 'owed: the fact is written, the command not yet (it is, within a sweep interval)',
  })
  status!: 'owed' | 'pending' | 'dead-lettered' | 'acknowledged';

  @ApiProperty({ ...INSTANT, nullable: true, description: 'When the SLA runs out' })
  dueBy!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true })
  acknowledgedAt!: string | null;
}

export class RecordDownstreamDto {
  @ApiProperty({ type: [DownstreamCommandDto], description: 'Not acknowledged yet' })
  pending!: DownstreamCommandDto[];

  @ApiProperty({ type: [DownstreamCommandDto] })
  acknowledged!: DownstreamCommandDto[];
}

export class RecordScheduleDto implements RecordSchedule {
  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiProperty({ enum: ['active', 'archived', 'erased'] })
  phase!: 'active' | 'archived' | 'erased';

  @ApiProperty({ ...INSTANT, nullable: true, description: 'null while no deadline is known' })
  activeUntil!: string | null;

  @ApiPropertyOptional({ ...INSTANT, description: 'Absent when no purpose archives the record' })
  archiveUntil?: string;

  @ApiProperty({ type: NextActionDto, nullable: true, description: 'null when none is due' })
  nextAction!: NextActionDto | null;

  @ApiProperty({ type: [PurposeScheduleDto], description: 'One per purpose that keeps the record' })
  purposes!: PurposeScheduleDto[];

  @ApiPropertyOptional({
    type: RecordDownstreamDto,
    description:
      'The commands the downstream systems (LEDGER_SYSTEMS) were given about the record; ' +
      'absent when none was',
  })
  downstream?: RecordDownstreamDto;

  @ApiPropertyOptional({
    description:
      'On erased records only: the key is destroyed and every system holding the category ' +
      'acknowledged the erasure',
  })
  fullyErased?: boolean;
}

export class RetentionScheduleResponseDto implements RetentionScheduleAnswer {
  @ApiProperty({ example: 'user-42' })
  subjectId!: string;

  @ApiProperty({ description: 'The policy the schedule was computed under', example: '2023-01-24' })
  policyVersion!: string;

  @ApiProperty({ type: [RecordScheduleDto], description: 'One per record, in record key order' })
  records!: RecordScheduleDto[];
}
