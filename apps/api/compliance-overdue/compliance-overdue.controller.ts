import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { PageQueryDto } from '../systems/system-commands.request.dto';
import { OverdueCommandsQuery } from './overdue-commands.handler';
import { OverdueCommandsDto } from './overdue-commands.response.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('v1/compliance')
export class ComplianceOverdueController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('overdue')
  @Allow('compliance')
  @ApiOperation({
    summary: 'Commands not acknowledged within their SLA, rights requests not answered in time',
    description:
      'Each system of LEDGER_SYSTEMS has an acknowledgement SLA; a command issued longer ago ' +
      'and not acknowledged (dead-lettered ones included) is listed in `items`, most overdue ' +
      'first. A rights request has one calendar month (art. 12(3)); one with no answer by ' +
      'then is listed in `requests`.',
  })
  @ApiOkResponse({ type: OverdueCommandsDto })
  @ApiBadRequestResponse({ description: 'limit is not valid' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  overdue(@Query() { limit }: PageQueryDto): Promise<OverdueCommandsDto> {
    return this.queryBus.execute(new OverdueCommandsQuery(limit));
  }
}
