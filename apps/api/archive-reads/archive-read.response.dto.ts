import { ApiProperty } from '@nestjs/swagger';
import type { ArchiveReadAnswer, ArchivedValue } from './archive-read.command';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

export class ArchivedValueDto implements ArchivedValue {
  @ApiProperty({ description: 'The event that carried the values' })
  eventId!: string;

  @ApiProperty({ example: 'AccountCreated' })
  type!: string;

  @ApiProperty(INSTANT)
  occurredAt!: string;

  @ApiProperty({
    description: 'The personal data of this category the event carried, as published',
    example: { email: 'ana@example.fr' },
  })
  values!: unknown;
}

export class ArchiveReadResponseDto implements ArchiveReadAnswer {
  @ApiProperty({ example: 'user-42' })
  subjectId!: string;

  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiProperty({ ...INSTANT, description: 'When the record left its active phase' })
  archivedAt!: string;

  @ApiProperty({ description: 'The id of the ArchiveRead event that recorded this read' })
  readId!: string;

  @ApiProperty({ type: [ArchivedValueDto], description: 'Oldest first' })
  personalData!: ArchivedValueDto[];
}
