import type { AnyPublishedEvent, PublishedEvent } from '../events/published-event';

/**
 * Which record a category of an event's personal data belongs to. A record is one piece of
 * a subject's data with one life (`shared/spec/retention-policy.md`): what lives as long as
 * the account is `account`; per-item data is `invoice:<id>`, `review:<id>`, ...; navigation
 * and connection data is grouped by month, `visits:<yyyy-mm>`, so that one month can be
 * erased when its 14 months are up.
 *
 * Each (record, category) pair gets a data key of its own, so erasing one never touches
 * another's data.
 */
export function recordKeyOf(event: AnyPublishedEvent, category: string): string {
  const month = event.occurredAt.slice(0, 7);
  switch (event.type) {
    case 'AccountCreated':
    case 'AccountClosed':
    case 'ProspectRegistered':
      return 'account';
    case 'LastActivity':
    case 'VisitRecorded':
      return category === 'connection' || category === 'navigation' ? `visits:${month}` : 'account';
    case 'ContactMade':
      return category === 'conversations' ? 'conversations' : 'account';
    case 'ReviewPosted':
      return `review:${event.data.reviewId}`;
    case 'InvoiceIssued':
      return `invoice:${event.data.invoiceId}`;
    case 'ContractSigned':
    case 'ContractEnded':
      return `contract:${event.data.contractId}`;
    case 'TransactionRecorded':
      return `transaction:${event.data.transactionId}`;
    case 'ConsentGiven':
    case 'ConsentWithdrawn':
      return `consent:${event.data.purpose}`;
    case 'BugReported':
      return `bug:${event.data.reportId}`;
    case 'InformationRequested':
    case 'InformationRequestAnswered':
      return `request:${event.data.requestId}`;
    case 'ReportShared':
      return `report:${event.data.reportId}`;
    case 'DisputeOpened':
    case 'DisputeClosed':
      return `dispute:${event.data.disputeId}`;
    case 'RightsRequestReceived':
      // An objection is kept 3 years (rights-objection): its record kind says so.
      return event.data.right === 'objection'
        ? `objection:${event.data.requestId}`
        : `rights-request:${event.data.requestId}`;
    case 'IdentityProofReceived':
    case 'IdentityVerified':
      return `identity-proof:${event.data.requestId}`;
    case 'RenewalAnswered':
      return `renewal:${event.data.purpose}`;
    case 'PostMortemDirectiveRecorded':
      return 'post-mortem-directive';
    default:
      return unreachable(event);
  }
}

function unreachable(event: never): never {
  throw new Error(`no record key for event type ${(event as PublishedEvent).type}`);
}
