/** No hold with this id on this subject. */
export class UnknownLegalHoldError extends Error {
  readonly code = 'LEGAL_HOLD.UNKNOWN';
  constructor() {
    super('holdId: no legal hold with this id on this subject');
    this.name = 'UnknownLegalHoldError';
  }
}
