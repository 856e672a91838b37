import { pageCursor, pageSize } from '../errors/page-params';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';

export const MAX_DEADLINES_PAGE = 1000;

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** `Date` rolls 2024-02-30 over to March 1st: a real instant reads back the same. */
export function isUtcInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !UTC_INSTANT.test(value)) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19);
}

export class DeadlinesQueryDto {
  @ApiProperty({
    description: 'Exclusive bound: next actions due strictly before this instant (UTC)',
    format: 'date-time',
    example: '2027-01-01T00:00:00Z',
  })
  @ValidateBy(
    { name: 'isUtcInstant', validator: { validate: isUtcInstant } },
    { message: 'before: must be a real UTC instant in ISO 8601 form, like 2027-01-01T00:00:00Z' },
  )
  before!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_DEADLINES_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @pageSize(MAX_DEADLINES_PAGE)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @pageCursor()
  cursor?: string;
}
