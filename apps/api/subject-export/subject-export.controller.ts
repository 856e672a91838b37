import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { SubjectExport } from '../../../libs/compliance/subject-export/subject-export.types';
import { Allow } from '../auth/access.decorators';
import { SubjectParamsDto } from '../retention-schedule/subject-params.request.dto';
import { SubjectExportQuery } from './subject-export.query';
import { SubjectExportResponseDto } from './subject-export.response.dto';

@ApiTags('rights')
@ApiBearerAuth()
@Controller('v1/subjects')
export class SubjectExportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':subjectId/export')
  @Allow('compliance')
  @ApiOperation({
    summary: "A subject's data: the art. 15 access and art. 20 portability export",
    description:
      'Schema version 1 (docs/schemas/subject-export.v1.schema.json). Every record with its ' +
      'category, purposes, legal bases, deadlines, sources and recipients; active records with ' +
      'their personal data opened from the vault; archived records without content (until ' +
      'when they are kept); erased records with the date. Also where the data is stored and ' +
      'transferred (the policy file), and every report shared about the subject.',
  })
  @ApiOkResponse({ type: SubjectExportResponseDto })
  @ApiBadRequestResponse({ description: 'the subject id is not 1 to 200 printable characters' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  @ApiNotFoundResponse({ description: 'no subject with this id is known to the ledger' })
  export(@Param() { subjectId }: SubjectParamsDto): Promise<SubjectExport> {
    return this.queryBus.execute(new SubjectExportQuery(subjectId));
  }
}
