import type { DataSubjectRight } from '../events/event-catalogue';
import type { LedgerEventV1 } from '../events/ledger-event';
import { earliest, latest } from './clock-order';
import { foldAccount, foldProspect, moveClock } from './fold-clocks';
import { foldConsent, foldRenewal, objectedPurposes } from './fold-consents';
import { foldPersonalData, foldPhase, moveRecordClock } from './fold-records';
import { foldLegalHold, foldRestriction } from './fold-holds';
import { foldContract, foldDispute } from './fold-relationships';
import { clockOf } from './state-shapes';
import type { ClockValue, SubjectState } from './subject-state';
import { recordIdOf } from './subject-state';
import type { SubjectStreamEvent } from './subject-stream-event';
import { asSubjectStreamEvent } from './subject-stream-event';

/**
 * Folds one stored event into its subject's state. Every merge is an earliest, a latest or
 * a sorted union, tie-broken by event id, so the state does not depend on the order events
 * arrive in and applying one twice changes nothing; the result is canonical (see
 * `canonicalSubjectState`). A type the state does not know, or an event of another subject,
 * leaves the state as it is (the same object).
 */
export function evolveSubject(state: SubjectState, event: LedgerEventV1): SubjectState {
  const known = asSubjectStreamEvent(event);
  if (known === undefined) return state;
  if (event.subject !== undefined && event.subject !== state.subject) return state;
  return foldPersonalData(evolveByType(state, known), event);
}

function evolveByType(state: SubjectState, event: SubjectStreamEvent): SubjectState {
  const at = clockOf(event);
  switch (event.type) {
    case 'AccountCreated': {
      // Account creation counts as activity.
      const opened = foldAccount(state, { ...at, role: event.data.role });
      return moveClock(
        moveClock(opened, 'accountCreated', earliest, at),
        'lastActivity',
        latest,
        at,
      );
    }
    case 'LastActivity':
      return moveClock(state, 'lastActivity', latest, at);
    case 'ContactMade': {
      const contacted = moveClock(state, 'lastContact', latest, at);
      // A conversation on the platform is activity as well as contact.
      return event.data.channel === 'platform'
        ? moveClock(contacted, 'lastActivity', latest, at)
        : contacted;
    }
    case 'AccountClosed': {
      const closed = moveClock(state, 'accountClosed', earliest, at);
      return event.data.reason === 'deceased'
        ? moveClock(closed, 'deceased', earliest, at)
        : closed;
    }
    case 'PostMortemDirectiveRecorded':
      return moveClock(
        state,
        event.data.directive === 'erase' ? 'directiveErase' : 'directiveCommunicate',
        latest,
        at,
      );
    case 'ProspectRegistered': {
      const registered = moveClock(foldProspect(state, at), 'prospectRegistered', earliest, at);
      return moveClock(registered, 'lastContact', latest, at);
    }
    case 'ContractSigned':
      return foldContract(state, event.data.contractId, 'signed', at);
    case 'ContractEnded': {
      const { contractId } = event.data;
      const ended = foldContract(state, contractId, 'ended', at);
      return moveRecordClock(ended, `contract:${contractId}`, 'contractEnded', at);
    }
    case 'DisputeOpened':
      return foldDispute(state, event.data.disputeId, 'opened', { ...at, ...invoice(event.data) });
    case 'DisputeClosed':
      return foldDispute(state, event.data.disputeId, 'closed', { ...at, ...invoice(event.data) });
    case 'ConsentGiven':
      return foldConsent(state, event.data.purpose, 'consentGiven', latest, at);
    case 'ConsentWithdrawn':
      return foldConsent(state, event.data.purpose, 'consentWithdrawn', latest, at);
    case 'RightsRequestReceived':
      return foldRightsRequest(state, event.data.right, event.data.purposes, at);
    case 'InformationRequestAnswered':
      return moveRecordClock(state, `request:${event.data.requestId}`, 'answeredAt', at);
    case 'IdentityVerified':
      return moveRecordClock(state, `identity-proof:${event.data.requestId}`, 'verifiedAt', at);
    case 'RenewalRequested':
      return foldRenewal(state, event.data.purpose, (r) => ({
        ...r,
        requested: latest(r.requested, at),
      }));
    case 'RenewalAnswered': {
      const answer = { ...at, accepted: event.data.accepted };
      return foldRenewal(state, event.data.purpose, (r) => ({
        ...r,
        answered: latest(r.answered, answer),
      }));
    }
    case 'RecordArchived':
      return foldPhase(
        state,
        recordIdOf(event.data.recordKey, event.data.category),
        'archived',
        at,
      );
    case 'RecordErased':
      return foldPhase(state, recordIdOf(event.data.recordKey, event.data.category), 'erased', at);
    case 'LegalHoldPlaced':
      return foldLegalHold(state, event.data.holdId, 'placed', at);
    case 'LegalHoldReleased':
      return foldLegalHold(state, event.data.holdId, 'released', at);
    // Their personal data makes records (below); they move no clock of their own.
    case 'ReviewPosted':
    case 'InvoiceIssued':
    case 'TransactionRecorded':
    case 'VisitRecorded':
    case 'BugReported':
    case 'InformationRequested':
    case 'ReportShared':
    case 'IdentityProofReceived':
    // Why a record was kept is read from the log by whoever shows it; no clock moves.
    case 'ErasureDeferred':
    // The answer to a request tells what its request already did; no clock moves.
    case 'RightsRequestAnswered':
      return state;
    default:
      return unreachable(event);
  }
}

/**
 * The rights that change retention (spec/retention-policy.md, "Rights (section 6)"):
 * restriction and its lifting, objection, consent withdrawal and erasure. Access,
 * portability and rectification move no clock.
 */
function foldRightsRequest(
  state: SubjectState,
  right: DataSubjectRight,
  purposes: readonly string[] | undefined,
  at: ClockValue,
): SubjectState {
  switch (right) {
    case 'restriction':
      return foldRestriction(state, 'requested', at);
    case 'restriction-lifted':
      return foldRestriction(state, 'lifted', at);
    case 'objection':
      return objectedPurposes(purposes).reduce(
        (current, purpose) => foldConsent(current, purpose, 'objection', earliest, at),
        state,
      );
    case 'consent-withdrawal':
      if (purposes === undefined || purposes.length === 0) {
        return moveClock(state, 'consentsWithdrawn', latest, at);
      }
      return purposes.reduce(
        (current, purpose) => foldConsent(current, purpose, 'consentWithdrawn', latest, at),
        state,
      );
    case 'erasure':
      return moveClock(state, 'erasureRequested', earliest, at);
    case 'access':
    case 'portability':
    case 'rectification':
      return state;
  }
}

function invoice(data: { readonly invoiceId?: string }): { readonly invoiceId?: string } {
  return data.invoiceId === undefined ? {} : { invoiceId: data.invoiceId };
}

function unreachable(event: never): never {
  throw new Error(`evolveSubject: unhandled event type ${(event as LedgerEventV1).type}`);
}
