import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { ActingRoles } from '../subjects/acting-roles.decorator';
import { ReasonDto } from '../subjects/reason.request.dto';
import { ReadArchivedRecord, type ArchiveReadAnswer } from './archive-read.command';
import { ArchivedRecordParamsDto } from './archive-read.request.dto';
import { ArchiveReadResponseDto } from './archive-read.response.dto';

@ApiTags('archive reads')
@ApiBearerAuth()
@Controller('v1/subjects')
export class ArchiveReadsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':subjectId/records/:recordKey/:category/archive-reads')
  @Allow('compliance')
  @HttpCode(200)
  @ApiOperation({
    summary: "Read an archived record's personal data, for a stated reason",
    description:
      'Archived data is kept only as evidence: no other route shows it. This read opens it, ' +
      'and is itself recorded (ArchiveRead: the reason, the roles of the key, the time) in the ' +
      "subject's stream before the data is answered.",
  })
  @ApiOkResponse({ type: ArchiveReadResponseDto })
  @ApiBadRequestResponse({ description: 'every problem of the request, one line each' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  @ApiNotFoundResponse({
    description:
      'no such subject (a subject whose every record was erased is forgotten), or no such record',
  })
  @ApiConflictResponse({ description: 'the record is active, not archived: nothing is written' })
  @ApiGoneResponse({ description: 'the record is erased: its data key is destroyed' })
  read(
    @Param() { subjectId, recordKey, category }: ArchivedRecordParamsDto,
    @Body() { reason }: ReasonDto,
    @ActingRoles() readBy: string[],
  ): Promise<ArchiveReadAnswer> {
    return this.commandBus.execute(
      new ReadArchivedRecord(subjectId, recordKey, category, reason, readBy),
    );
  }
}
