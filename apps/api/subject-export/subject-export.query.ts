import { Query } from '@nestjs/cqrs';
import type { SubjectExport } from '../../../libs/compliance/subject-export/subject-export.types';

/** The art. 15 / 20 export of one subject, by the platform's id. */
export class SubjectExportQuery extends Query<SubjectExport> {
  constructor(readonly subjectId: string) {
    super();
  }
}
