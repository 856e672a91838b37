import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';

// Control and format characters (bidi overrides included), lone surrogates, line breaks.
const PRINTABLE_ID = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u;

export class SubjectParamsDto {
  @ApiProperty({ description: "The platform's own id for the person", example: 'user-42' })
  // The reason names no value: a subject id is personal.
  @ValidateBy(
    {
      name: 'isPrintableId',
      validator: { validate: (value) => typeof value === 'string' && PRINTABLE_ID.test(value) },
    },
    { message: 'subjectId: must be 1 to 200 printable characters' },
  )
  subjectId!: string;
}
