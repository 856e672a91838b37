import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { SubjectParamsDto } from '../retention-schedule/subject-params.request.dto';

export class LegalHoldParamsDto extends SubjectParamsDto {
  @ApiProperty({ description: 'The id the ledger gave the hold when it was placed' })
  @IsUUID('all', { message: 'holdId: must be a UUID' })
  holdId!: string;
}
