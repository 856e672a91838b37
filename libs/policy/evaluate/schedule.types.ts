/** The retention schedule of one subject, in the shape of `shared/spec/api.md`. */
export interface Because {
  readonly clock: string;
  readonly at: string;
  readonly eventId: string;
}

export type RecordPhase = 'active' | 'archived' | 'erased';
export type NextActionKind = 'archive' | 'erase' | 'request-renewal';

export interface NextAction {
  readonly action: NextActionKind;
  readonly dueAt: string;
  /** For `request-renewal`: the purpose to renew. */
  readonly purpose?: string;
}

export interface PurposeSchedule {
  readonly purpose: string;
  /** The bases joined by ", " (`contract`, `contract, legitimate-interest`). */
  readonly legalBasis: string;
  readonly legalBases: readonly string[];
  /** `null` while no deadline is known (an ongoing contract). */
  readonly activeUntil: string | null;
  /** Absent when the purpose has no archive phase. */
  readonly archiveUntil?: string;
  /** What follows the purpose's time: erased, or the subject asked to renew. */
  readonly then: 'erase' | 'request-renewal';
  /** The clock values and the ids of the events that fixed the dates. */
  readonly because: readonly Because[];
  /** Set when consent withdrawal or an objection ended the purpose early. */
  readonly stoppedBy?: string;
}

export interface RecordSchedule {
  readonly recordKey: string;
  readonly category: string;
  readonly phase: RecordPhase;
  readonly activeUntil: string | null;
  readonly archiveUntil?: string;
  readonly nextAction: NextAction | null;
  readonly purposes: readonly PurposeSchedule[];
}

export interface SubjectSchedule {
  readonly policyVersion: string;
  readonly records: readonly RecordSchedule[];
}
