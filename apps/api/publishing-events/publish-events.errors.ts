/** An event id already stored with another body: a publisher bug, never silently merged. */
export class EventIdReusedError extends Error {
  readonly code = 'EVENTS.ID_REUSED';
  constructor(readonly eventIds: readonly string[]) {
    super(`event id(s) already stored with a different body: ${eventIds.join(', ')}`);
    this.name = 'EventIdReusedError';
  }
}
