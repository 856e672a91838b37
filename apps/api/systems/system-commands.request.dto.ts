import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsUUID, Matches, ValidateBy } from 'class-validator';

export const MAX_COMMANDS_PAGE = 1000;

export class SystemParamsDto {
  @ApiProperty({ description: 'A system id of LEDGER_SYSTEMS', example: 'crm' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: 'system: must be lower-case letters, digits and dashes',
  })
  system!: string;
}

export class CommandParamsDto extends SystemParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'commandId: must be a UUID' })
  commandId!: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_COMMANDS_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @ValidateBy(
    {
      name: 'isPageSize',
      validator: { validate: (v) => Number.isInteger(v) && v >= 1 && v <= MAX_COMMANDS_PAGE },
    },
    { message: `limit: must be a whole number from 1 to ${MAX_COMMANDS_PAGE}` },
  )
  limit: number = 100;
}
