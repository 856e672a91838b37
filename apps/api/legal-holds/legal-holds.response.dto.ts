import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LegalHoldView } from '../../../libs/domain/legal-holds/decide-legal-holds';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class LegalHoldReleaseDto {
  @ApiProperty(INSTANT)
  at!: string;

  @ApiProperty()
  reason!: string;
}

export class LegalHoldResponseDto implements LegalHoldView {
  @ApiProperty({ description: 'Names the hold in its release', format: 'uuid' })
  holdId!: string;

  @ApiProperty(INSTANT)
  placedAt!: string;

  @ApiProperty({ description: 'Why it was placed' })
  reason!: string;

  @ApiPropertyOptional({ type: LegalHoldReleaseDto, description: 'Absent while it holds' })
  released?: LegalHoldReleaseDto;
}
