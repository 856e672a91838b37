/** A request the ledger refuses as a whole; every problem is listed, none is acted on. */
export class InvalidRequestError extends Error {
  readonly code = 'REQUEST.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid request: ${problems.length} problem(s)`);
    this.name = 'InvalidRequestError';
  }
}
