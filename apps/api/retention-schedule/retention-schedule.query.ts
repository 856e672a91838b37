import { Query } from '@nestjs/cqrs';
import type { RecordDownstream } from '../../../libs/lifecycle/downstream/record-downstream';
import type { RecordSchedule } from '../../../libs/policy/evaluate/schedule.types';

/** A record's schedule, and where the downstream systems stand on it (when any holds it). */
export interface RecordScheduleAnswer extends RecordSchedule {
  readonly downstream?: RecordDownstream;
  /** On erased records: the key is destroyed and every system holding the category acknowledged. */
  readonly fullyErased?: boolean;
}

export interface RetentionScheduleAnswer {
  readonly subjectId: string;
  readonly policyVersion: string;
  readonly records: readonly RecordScheduleAnswer[];
}

/** The retention schedule of one subject, by the platform's id. */
export class RetentionScheduleQuery extends Query<RetentionScheduleAnswer> {
  constructor(readonly subjectId: string) {
    super();
  }
}
