import { ApiProperty } from '@nestjs/swagger';
import type { NextActionKind } from '../../../libs/policy/evaluate/schedule.types';
import type { DeadlineItem, DeadlinesPage } from './deadlines.query';

export class DeadlineItemDto implements DeadlineItem {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'user-42',
    description: 'null once the subject was forgotten (its last record erased)',
  })
  subjectId!: string | null;

  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiProperty({ enum: ['archive', 'erase', 'request-renewal'] })
  action!: NextActionKind;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T10:00:00.000Z' })
  dueAt!: string;
}

export class DeadlinesPageDto implements DeadlinesPage {
  @ApiProperty({ type: [DeadlineItemDto], description: 'Soonest first' })
  items!: DeadlineItemDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass it as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
