import { pageCursor, pageSize } from '../errors/page-params';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';
import { isUtcInstant } from '../compliance-deadlines/deadlines.request.dto';

export const MAX_ERASURES_PAGE = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function utcInstant(name: string) {
  return ValidateBy(
    { name: 'isUtcInstant', validator: { validate: isUtcInstant } },
    { message: `${name}: must be a real UTC instant in ISO 8601 form, like 2027-01-01T00:00:00Z` },
  );
}

export class ErasuresQueryDto {
  @ApiPropertyOptional({
    description: 'Inclusive: facts the ledger recorded at or after this instant (UTC)',
    format: 'date-time',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @utcInstant('from')
  from?: string;

  @ApiPropertyOptional({
    description: 'Exclusive: facts the ledger recorded strictly before this instant (UTC)',
    format: 'date-time',
    example: '2027-01-01T00:00:00Z',
  })
  @IsOptional()
  @utcInstant('to')
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ERASURES_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @pageSize(MAX_ERASURES_PAGE)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @pageCursor()
  cursor?: string;
}

export class ErasureParamsDto {
  @ApiProperty({ format: 'uuid', description: 'The RecordErased or RecordArchived event' })
  @ValidateBy(
    { name: 'isUuid', validator: { validate: (v) => typeof v === 'string' && UUID.test(v) } },
    { message: 'eventId: must be a UUID' },
  )
  eventId!: string;
}
