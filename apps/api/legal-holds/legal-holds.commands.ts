import { Command } from '@nestjs/cqrs';
import type { LegalHoldView } from '../../../libs/domain/legal-holds/decide-legal-holds';

export class PlaceLegalHold extends Command<LegalHoldView> {
  constructor(
    readonly subjectId: string,
    readonly reason: string,
  ) {
    super();
  }
}

/** Idempotent: a hold released before answers as it did then. */
export class ReleaseLegalHold extends Command<LegalHoldView> {
  constructor(
    readonly subjectId: string,
    readonly holdId: string,
    readonly reason: string,
  ) {
    super();
  }
}
