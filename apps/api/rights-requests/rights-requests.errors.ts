/** The request id is already the id of a different request of this subject. */
export class RightsRequestIdReusedError extends Error {
  readonly code = 'RIGHTS_REQUEST.ID_REUSED';
  constructor() {
    super('requestId: already the id of another request (another right, purposes or date)');
    this.name = 'RightsRequestIdReusedError';
  }
}
