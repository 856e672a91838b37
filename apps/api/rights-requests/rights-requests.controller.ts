import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { SubjectParamsDto } from '../retention-schedule/subject-params.request.dto';
import type { RightsAnswerView } from './rights-answer-view';
import { HandleRightsRequest } from './rights-request.command';
import { RightsRequestDto } from './rights-request.request.dto';
import { RightsAnswerDto } from './rights-request.response.dto';

@ApiTags('rights requests')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
@ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
@Controller('v1/subjects')
export class RightsRequestsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':subjectId/requests')
  @Allow('compliance')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a data-subject rights request and answer it',
    description:
      'Written as RightsRequestReceived, then carried out at once (erasures, deferrals, ' +
      'stopped purposes, destroyed keys, each its own event) and answered as ' +
      'RightsRequestAnswered: what was done, what was kept and why. The answer is due one ' +
      'calendar month after receivedAt (art. 12(3)); unanswered requests past it are listed ' +
      'by GET /v1/compliance/overdue.',
  })
  @ApiCreatedResponse({ type: RightsAnswerDto })
  @ApiBadRequestResponse({ description: 'every problem of the request, one line each' })
  @ApiNotFoundResponse({ description: 'no subject with this id is known to the ledger' })
  @ApiConflictResponse({ description: 'requestId is the id of another request' })
  request(
    @Param() { subjectId }: SubjectParamsDto,
    @Body() body: RightsRequestDto,
  ): Promise<RightsAnswerView> {
    return this.commandBus.execute(new HandleRightsRequest(subjectId, body));
  }
}
