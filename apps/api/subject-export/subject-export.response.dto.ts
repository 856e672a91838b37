import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  ExportedPurpose,
  ExportedRecord,
  ExportedValue,
  SharedReport,
  SubjectExport,
} from '../../../libs/compliance/subject-export/subject-export.types';
import { NextActionDto } from '../retention-schedule/retention-schedule.response.dto';

const INSTANT = { type: String, format: 'date-time', example: '2026-03-01T10:00:00.000Z' };

/** The OpenAPI face of `docs/schemas/subject-export.v1.schema.json`. */
export class SharedReportDto implements SharedReport {
  @ApiProperty({ example: 'RPT-9' })
  reportId!: string;

  @ApiProperty({ enum: ['school', 'company'] })
  recipientType!: string;

  @ApiProperty({ example: 'school-17' })
  recipientId!: string;

  @ApiProperty(INSTANT)
  sharedAt!: string;

  @ApiProperty({ description: 'The ReportShared event' })
  eventId!: string;

  @ApiProperty({ example: 'reporting-service' })
  source!: string;
}

export class ExportedPurposeDto implements ExportedPurpose {
  @ApiProperty({ example: 'platform-access' })
  purpose!: string;

  @ApiProperty({ description: "The policy's words for the purpose" })
  description!: string;

  @ApiProperty({ type: [String], example: ['contract'] })
  legalBases!: string[];

  @ApiProperty({ ...INSTANT, nullable: true, description: 'null while no deadline is known' })
  activeUntil!: string | null;

  @ApiPropertyOptional(INSTANT)
  archiveUntil?: string;

  @ApiProperty({ enum: ['erase', 'request-renewal'] })
  then!: 'erase' | 'request-renewal';

  @ApiPropertyOptional({ description: 'consent withdrawal or objection that ended it early' })
  stoppedBy?: string;

  @ApiProperty({ type: [String], description: 'The recipients the policy names (section 4)' })
  recipients!: string[];
}

export class ExportedValueDto implements ExportedValue {
  @ApiProperty()
  eventId!: string;

  @ApiProperty({ example: 'AccountCreated' })
  type!: string;

  @ApiProperty(INSTANT)
  occurredAt!: string;

  @ApiProperty({ description: 'The publishing service that sent it', example: 'marketplace-api' })
  source!: string;

  @ApiProperty({ description: 'The values as published', example: { email: 'ana@example.fr' } })
  values!: unknown;
}

export class ArchivedMarkDto {
  @ApiProperty({ ...INSTANT, description: 'When the record left its active phase' })
  at!: string;

  @ApiPropertyOptional({ ...INSTANT, description: 'Kept as evidence until then' })
  until?: string;
}

export class ErasedMarkDto {
  @ApiProperty({ ...INSTANT, description: 'When its data key was destroyed' })
  at!: string;
}

export class ExportedRecordDto implements ExportedRecord {
  @ApiProperty({ example: 'account' })
  recordKey!: string;

  @ApiProperty({ example: 'identification' })
  category!: string;

  @ApiPropertyOptional({ description: 'What the category holds, in the policy words' })
  categoryDescription?: string;

  @ApiProperty({ enum: ['active', 'archived', 'erased'] })
  phase!: 'active' | 'archived' | 'erased';

  @ApiProperty(INSTANT)
  collectedAt!: string;

  @ApiProperty(INSTANT)
  lastCollectedAt!: string;

  @ApiProperty({ type: [String], example: ['marketplace-api'] })
  sources!: string[];

  @ApiProperty({ ...INSTANT, nullable: true })
  activeUntil!: string | null;

  @ApiPropertyOptional(INSTANT)
  archiveUntil?: string;

  @ApiProperty({ type: NextActionDto, nullable: true })
  nextAction!: NextActionDto | null;

  @ApiProperty({ type: [ExportedPurposeDto] })
  purposes!: ExportedPurposeDto[];

  @ApiPropertyOptional({ type: [SharedReportDto], description: 'On report records' })
  sharedWith?: SharedReportDto[];

  @ApiPropertyOptional({ type: ArchivedMarkDto, description: 'Archived: no content' })
  archived?: ArchivedMarkDto;

  @ApiPropertyOptional({ type: ErasedMarkDto, description: 'Erased: no content' })
  erased?: ErasedMarkDto;

  @ApiPropertyOptional({ type: [ExportedValueDto], description: 'Active records only' })
  personalData?: ExportedValueDto[];
}

export class StorageLocationDto {
  @ApiProperty({ example: 'Amazon Web Services, serveurs situés à Francfort (Union européenne)' })
  where!: string;

  @ApiPropertyOptional({ description: 'How the data may leave, and under which safeguards' })
  transfers?: string;
}

export class ExportPolicyDto {
  @ApiProperty({ example: '2023-01-24' })
  version!: string;

  @ApiProperty(INSTANT)
  effectiveFrom!: string;

  @ApiProperty({ description: "SHA-256 of the policy file's text" })
  sha256!: string;
}

export class SubjectExportResponseDto implements SubjectExport {
  @ApiProperty({ enum: [1], description: 'docs/schemas/subject-export.v1.schema.json' })
  schemaVersion!: 1;

  @ApiProperty({ example: 'user-42' })
  subjectId!: string;

  @ApiProperty({ ...INSTANT, description: "The ledger's clock" })
  generatedAt!: string;

  @ApiPropertyOptional()
  controller?: string;

  @ApiProperty({ type: ExportPolicyDto })
  policy!: ExportPolicyDto;

  @ApiProperty({ type: [StorageLocationDto], description: 'Section 5 of the policy' })
  storage!: StorageLocationDto[];

  @ApiProperty({ type: [ExportedRecordDto] })
  records!: ExportedRecordDto[];

  @ApiProperty({ type: [SharedReportDto] })
  sharedWith!: SharedReportDto[];
}
