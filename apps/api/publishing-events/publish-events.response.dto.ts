import { ApiProperty } from '@nestjs/swagger';
import type { PublishedEventOutcome } from './publish-events.command';

export class PublishedEventResponseDto implements PublishedEventOutcome {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({
    description: 'Place in the log, opaque and ordered (`commit/prepare`)',
    example: '42/42',
  })
  position!: string;

  @ApiProperty({ description: 'True when this eventId was already stored with the same body' })
  duplicate!: boolean;
}

export class PublishedBatchResponseDto {
  @ApiProperty({
    type: [PublishedEventResponseDto],
    description: 'One per event, in the order sent',
  })
  events!: PublishedEventResponseDto[];

  @ApiProperty({ description: 'True when every event of the batch was already stored' })
  duplicate!: boolean;
}
