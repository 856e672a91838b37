import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  ErasureListItem,
  ErasurePage,
} from '../../../libs/audit/certificate/erasure-certificates';

class InclusionDto {
  @ApiProperty({ description: "The signed checkpoint's tree size (decimal)", example: '1024' })
  treeSize!: string;
  @ApiProperty({ description: 'base64 of SHA-256(0x00 || leaf)' })
  leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion proof, base64, leaf first' })
  hashes!: string[];
  @ApiProperty({ description: "base64 of the checkpoint's root: the proof leads to it" })
  rootHash!: string;
}

class CheckpointDto {
  @ApiProperty({ example: '1024' })
  treeSize!: string;
  @ApiProperty({ description: 'The C2SP signed note (tlog-checkpoint)' })
  note!: string;
}

export class ErasureItemDto implements ErasureListItem {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;
  @ApiProperty({ enum: ['RecordErased', 'RecordArchived'] })
  type!: 'RecordErased' | 'RecordArchived';
  @ApiProperty({ format: 'date-time', description: 'When the ledger executed it' })
  recordedAt!: string;
  @ApiPropertyOptional({
    example: 'invoice:INV-7',
    description: 'Compliance and admin only: it may carry the platform id of an item',
  })
  recordKey?: string;
  @ApiProperty({ example: 'billing' })
  category!: string;
  @ApiProperty({ example: '2023-01-24' })
  policyVersion!: string;
  @ApiProperty({ type: [String], example: ['legal-invoices'] })
  purposes!: string[];
  @ApiProperty({ format: 'date-time' })
  dueAt!: string;
  @ApiProperty({ type: [String], description: 'Ids of the events that fixed the deadline' })
  because!: string[];
  @ApiProperty({ description: 'Decimal', example: '812' })
  leafIndex!: string;
  @ApiProperty({ type: InclusionDto })
  inclusion!: InclusionDto;
  @ApiProperty({ type: CheckpointDto })
  checkpoint!: CheckpointDto;
}

export class ErasurePageDto implements ErasurePage {
  @ApiProperty({ type: [ErasureItemDto], description: 'Oldest first' })
  items!: ErasureItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass it as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
