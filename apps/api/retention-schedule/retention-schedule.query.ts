import { Query } from '@nestjs/cqrs';
import type { SubjectSchedule } from '../../../libs/policy/evaluate/schedule.types';

export interface RetentionScheduleAnswer extends SubjectSchedule {
  readonly subjectId: string;
}

/** The retention schedule of one subject, by the platform's id. */
export class RetentionScheduleQuery extends Query<RetentionScheduleAnswer> {
  constructor(readonly subjectId: string) {
    super();
  }
}
