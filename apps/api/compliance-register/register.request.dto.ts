import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class RegisterQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'markdown'],
    description: 'markdown: the same as Accept: text/markdown',
  })
  @IsOptional()
  @IsIn(['json', 'markdown'], { message: 'format: must be json or markdown' })
  format?: 'json' | 'markdown';
}
