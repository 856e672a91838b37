import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';

/**
 * Tree sizes and leaf indices travel as decimal strings: a tree may pass 2^53 leaves, where
 * JSON numbers stop being exact. Up to 19 digits: SQLite's integers are signed 64-bit.
 */
const DECIMAL = /^(0|[1-9]\d{0,18})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decimal(name: string) {
  return ValidateBy(
    {
      name: 'isTreeNumber',
      validator: {
        validate: (v) => typeof v === 'string' && DECIMAL.test(v) && BigInt(v) < 2n ** 63n,
      },
    },
    { message: `${name}: must be a whole number from 0 to 2^63 - 1, in decimal` },
  );
}

export class InclusionProofQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The stored event whose leaf is proven' })
  @ValidateBy(
    { name: 'isUuid', validator: { validate: (v) => typeof v === 'string' && UUID.test(v) } },
    { message: 'eventId: must be a UUID' },
  )
  eventId!: string;

  @ApiPropertyOptional({
    description: "The tree size to prove against (decimal); absent: the tree's current size",
    example: '1024',
  })
  @IsOptional()
  @decimal('treeSize')
  treeSize?: string;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ description: 'The older tree size (decimal)', example: '512' })
  @decimal('from')
  from!: string;

  @ApiProperty({ description: 'The newer tree size (decimal)', example: '1024' })
  @decimal('to')
  to!: string;
}

export class LeavesQueryDto {
  @ApiProperty({ description: 'First leaf index (decimal)', example: '0' })
  @decimal('start')
  start!: string;

  @ApiProperty({
    description: 'Leaf index after the last one (exclusive; at most start + 1000)',
    example: '100',
  })
  @decimal('end')
  end!: string;
}
