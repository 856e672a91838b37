import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export const REASON_MAX_LENGTH = 500;
// Printable text on one line: no control or format characters, no line separators.
const ONE_LINE = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*$/u;
const NOT_BLANK = /\S/;

/**
 * Why an admin or compliance officer acts (a case number, an authority's request): kept in
 * the log in clear, so it should name a case, not a person's data. The problem lines never
 * quote the submitted value.
 */
export class ReasonDto {
  @ApiProperty({
    description: `Why, in 1 to ${REASON_MAX_LENGTH} printable characters on one line`,
    example: 'litigation RG 24/01234, tribunal judiciaire de Paris',
  })
  @IsString({ message: 'reason: must be a string' })
  @MaxLength(REASON_MAX_LENGTH, {
    message: `reason: must be at most ${REASON_MAX_LENGTH} characters`,
  })
  @Matches(NOT_BLANK, { message: 'reason: must not be blank' })
  @Matches(ONE_LINE, { message: 'reason: must be printable characters on one line' })
  reason!: string;
}
