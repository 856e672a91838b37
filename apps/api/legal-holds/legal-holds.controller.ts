import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { LegalHoldView } from '../../../libs/domain/legal-holds/decide-legal-holds';
import { Allow } from '../auth/access.decorators';
import { SubjectParamsDto } from '../retention-schedule/subject-params.request.dto';
import { PlaceLegalHold, ReleaseLegalHold } from './legal-holds.commands';
import { ReasonDto } from '../subjects/reason.request.dto';
import { LegalHoldParamsDto } from './legal-holds.request.dto';
import { LegalHoldResponseDto } from './legal-holds.response.dto';

@ApiTags('legal holds')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
@ApiForbiddenResponse({ description: 'the key does not have the admin role' })
@ApiBadRequestResponse({ description: 'every problem of the request, one line each' })
@Controller('v1/subjects')
export class LegalHoldsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':subjectId/legal-holds')
  @Allow('admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Place a legal hold on every record of a subject',
    description:
      'While it holds, erasures that fall due are deferred (ErasureDeferred, reason ' +
      '"legal-hold"); once released, the next sweep erases what is past its time. Written as ' +
      "LegalHoldPlaced in the subject's stream. Each call places a new hold.",
  })
  @ApiCreatedResponse({ type: LegalHoldResponseDto })
  @ApiNotFoundResponse({ description: 'no subject with this id is known to the ledger' })
  place(
    @Param() { subjectId }: SubjectParamsDto,
    @Body() { reason }: ReasonDto,
  ): Promise<LegalHoldView> {
    return this.commandBus.execute(new PlaceLegalHold(subjectId, reason));
  }

  @Post(':subjectId/legal-holds/:holdId/release')
  @Allow('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release a legal hold',
    description:
      'Written as LegalHoldReleased. Idempotent: releasing a released hold writes nothing and ' +
      'answers as the first release did (its time and reason).',
  })
  @ApiOkResponse({ type: LegalHoldResponseDto })
  @ApiNotFoundResponse({ description: 'no such subject, or no such hold on it' })
  release(
    @Param() { subjectId, holdId }: LegalHoldParamsDto,
    @Body() { reason }: ReasonDto,
  ): Promise<LegalHoldView> {
    return this.commandBus.execute(new ReleaseLegalHold(subjectId, holdId, reason));
  }
}
