import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { RetentionScheduleQuery, type RetentionScheduleAnswer } from './retention-schedule.query';
import { RetentionScheduleResponseDto } from './retention-schedule.response.dto';
import { SubjectParamsDto } from './subject-params.request.dto';

@ApiTags('retention')
@ApiBearerAuth()
@Controller('v1/subjects')
export class RetentionScheduleController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':subjectId/retention')
  @Allow('compliance')
  @ApiOperation({
    summary: "A subject's retention schedule",
    description:
      'For every record: its phase, until when each purpose keeps it, what happens next, and ' +
      'the clock values and event ids that fixed each date. Reflects every event stored ' +
      'before the request (the read waits up to 2 s for the projection).',
  })
  @ApiOkResponse({ type: RetentionScheduleResponseDto })
  @ApiBadRequestResponse({ description: 'the subject id is not 1 to 200 printable characters' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  @ApiNotFoundResponse({ description: 'no subject with this id is known to the ledger' })
  @ApiServiceUnavailableResponse({
    description: 'the projection is still catching up with the log',
  })
  retention(@Param() { subjectId }: SubjectParamsDto): Promise<RetentionScheduleAnswer> {
    return this.queryBus.execute(new RetentionScheduleQuery(subjectId));
  }
}
