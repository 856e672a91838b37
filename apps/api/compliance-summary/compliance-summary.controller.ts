import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { ComplianceSummaryQuery } from './compliance-summary.query-handler';
import { ComplianceSummaryDto, PhaseCountsDto } from './compliance-summary.response.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@ApiExtraModels(PhaseCountsDto)
@Controller('v1/compliance')
export class ComplianceSummaryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('summary')
  @Allow('compliance')
  @ApiOperation({
    summary: 'Records per purpose and phase, lifecycle actions of the last and next 30 days',
    description:
      "Counts only, at the ledger's clock: records per purpose and phase (the schedules), " +
      'archivings, erasures, deferred erasures and renewal requests written in the last 30 ' +
      'days (the audit tree indexes them by time), and next actions due in the next 30 days ' +
      '(the deadlines index).',
  })
  @ApiOkResponse({ type: ComplianceSummaryDto })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  @ApiServiceUnavailableResponse({ description: 'the projection is still catching up' })
  summary(): Promise<ComplianceSummaryDto> {
    return this.queryBus.execute(new ComplianceSummaryQuery());
  }
}
