import { Query } from '@nestjs/cqrs';
import type { NextActionKind } from '../../../libs/policy/evaluate/schedule.types';

export interface DeadlineItem {
  /** null once the subject was forgotten (its last record erased). */
  readonly subjectId: string | null;
  readonly recordKey: string;
  readonly category: string;
  readonly action: NextActionKind;
  readonly dueAt: string;
}

export interface DeadlinesPage {
  readonly items: readonly DeadlineItem[];
  /** null on the last page. */
  readonly nextCursor: string | null;
}

/** Next actions due before an instant, soonest first, one page. */
export class DeadlinesQuery extends Query<DeadlinesPage> {
  constructor(
    /** ISO-8601 UTC, already checked. */
    readonly before: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
