import { Command } from '@nestjs/cqrs';
import type { RightsRequestDto } from './rights-request.request.dto';
import type { RightsAnswerView } from './rights-answer-view';

/** Records a rights request and answers it at once (idempotent by `requestId`). */
export class HandleRightsRequest extends Command<RightsAnswerView> {
  constructor(
    readonly subjectId: string,
    readonly request: RightsRequestDto,
  ) {
    super();
  }
}
