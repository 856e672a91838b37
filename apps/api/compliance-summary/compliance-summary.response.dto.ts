import { ApiProperty } from '@nestjs/swagger';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class PhaseCountsDto {
  @ApiProperty() active!: number;
  @ApiProperty() archived!: number;
  @ApiProperty() erased!: number;
}

export class ActionsDoneDto {
  @ApiProperty(INSTANT) from!: string;
  @ApiProperty(INSTANT) to!: string;
  @ApiProperty({ description: 'RecordArchived written' }) archived!: number;
  @ApiProperty({ description: 'RecordErased written' }) erased!: number;
  @ApiProperty({ description: 'ErasureDeferred written (legal hold, dispute, restriction)' })
  erasureDeferred!: number;
  @ApiProperty({ description: 'RenewalRequested written' }) renewalRequested!: number;
}

export class ActionsDueDto {
  @ApiProperty(INSTANT) from!: string;
  @ApiProperty(INSTANT) to!: string;
  @ApiProperty({ description: 'records to archive' }) archive!: number;
  @ApiProperty({ description: 'records to erase' }) erase!: number;
  @ApiProperty({ description: 'renewal questions to ask' }) requestRenewal!: number;
}

export class ComplianceSummaryDto {
  @ApiProperty({ ...INSTANT, description: "The ledger's clock" })
  at!: string;

  @ApiProperty({
    description: 'Records per purpose and phase (a record kept for two purposes counts under both)',
    additionalProperties: { $ref: '#/components/schemas/PhaseCountsDto' },
    example: { 'platform-access': { active: 120, archived: 14, erased: 3 } },
  })
  recordsByPurpose!: Record<string, PhaseCountsDto>;

  @ApiProperty({ type: ActionsDoneDto, description: 'Lifecycle actions of the last 30 days' })
  last30Days!: ActionsDoneDto;

  @ApiProperty({ type: ActionsDueDto, description: 'Next actions due in the next 30 days' })
  next30Days!: ActionsDueDto;
}
