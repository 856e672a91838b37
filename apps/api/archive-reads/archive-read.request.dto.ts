import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { SubjectParamsDto } from '../retention-schedule/subject-params.request.dto';

// Control and format characters (bidi overrides included), lone surrogates, line breaks.
const PRINTABLE_ID = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u;

function printableId(name: string) {
  return ValidateBy(
    {
      name: 'isPrintableId',
      validator: { validate: (value) => typeof value === 'string' && PRINTABLE_ID.test(value) },
    },
    { message: `${name}: must be 1 to 200 printable characters` },
  );
}

export class ArchivedRecordParamsDto extends SubjectParamsDto {
  @ApiProperty({
    description: 'The record key, as the retention schedule names it',
    example: 'account',
  })
  @printableId('recordKey')
  recordKey!: string;

  @ApiProperty({ description: 'The category of personal data', example: 'identification' })
  @printableId('category')
  category!: string;
}
