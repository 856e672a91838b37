import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { DeadlinesQuery, type DeadlinesPage } from './deadlines.query';
import { DeadlinesQueryDto } from './deadlines.request.dto';
import { DeadlinesPageDto } from './deadlines.response.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('v1/compliance')
export class ComplianceDeadlinesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('deadlines')
  @Allow('compliance')
  @ApiOperation({
    summary: 'Records whose next action falls before an instant, soonest first, paged',
    description:
      'Served from the deadlines index (due date, subject, record), one page at a time: pass ' +
      'the nextCursor of a page as cursor to get the next one.',
  })
  @ApiOkResponse({ type: DeadlinesPageDto })
  @ApiBadRequestResponse({ description: 'before, limit or cursor is not valid' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  @ApiServiceUnavailableResponse({
    description: 'the projection is still catching up with the log',
  })
  deadlines(@Query() { before, limit, cursor }: DeadlinesQueryDto): Promise<DeadlinesPage> {
    return this.queryBus.execute(new DeadlinesQuery(before, limit, cursor));
  }
}
