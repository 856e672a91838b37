import type {
  EventDataByType,
  EventTypeWithoutData,
  PlatformEventType,
} from '../../../libs/domain/events';
import {
  AccountClosedDataDto,
  AccountCreatedDataDto,
  BugReportedDataDto,
  ContactMadeDataDto,
  LastActivityDataDto,
  ProspectRegisteredDataDto,
  ReportSharedDataDto,
  ReviewPostedDataDto,
  VisitRecordedDataDto,
} from './account-event-data.request.dtos';
import {
  ContractEndedDataDto,
  ContractSignedDataDto,
  DisputeClosedDataDto,
  DisputeOpenedDataDto,
  InvoiceIssuedDataDto,
  TransactionRecordedDataDto,
} from './commerce-event-data.request.dtos';
import {
  ConsentGivenDataDto,
  ConsentWithdrawnDataDto,
  IdentityProofReceivedDataDto,
  IdentityVerifiedDataDto,
  InformationRequestAnsweredDataDto,
  InformationRequestedDataDto,
  PostMortemDirectiveRecordedDataDto,
  RenewalAnsweredDataDto,
  RightsRequestReceivedDataDto,
} from './rights-event-data.request.dtos';

export * from './account-event-data.request.dtos';
export * from './commerce-event-data.request.dtos';
export * from './rights-event-data.request.dtos';

/** What a type's DTO must build: its data shape (an empty class for the types without data). */
type DataDtoInstance<T extends PlatformEventType> = T extends EventTypeWithoutData
  ? object
  : EventDataByType[T];

/**
 * The DTO that checks the `data` of each event type. A type left out, or a DTO whose fields
 * do not match the domain's data shape, is a compile error.
 */
export const EVENT_DATA_DTOS: Record<PlatformEventType, new () => object> = {
  AccountCreated: AccountCreatedDataDto,
  LastActivity: LastActivityDataDto,
  ContactMade: ContactMadeDataDto,
  ReviewPosted: ReviewPostedDataDto,
  InvoiceIssued: InvoiceIssuedDataDto,
  AccountClosed: AccountClosedDataDto,
  ContractSigned: ContractSignedDataDto,
  ContractEnded: ContractEndedDataDto,
  TransactionRecorded: TransactionRecordedDataDto,
  ProspectRegistered: ProspectRegisteredDataDto,
  ConsentGiven: ConsentGivenDataDto,
  ConsentWithdrawn: ConsentWithdrawnDataDto,
  VisitRecorded: VisitRecordedDataDto,
  BugReported: BugReportedDataDto,
  InformationRequested: InformationRequestedDataDto,
  InformationRequestAnswered: InformationRequestAnsweredDataDto,
  ReportShared: ReportSharedDataDto,
  DisputeOpened: DisputeOpenedDataDto,
  DisputeClosed: DisputeClosedDataDto,
  RightsRequestReceived: RightsRequestReceivedDataDto,
  IdentityProofReceived: IdentityProofReceivedDataDto,
  IdentityVerified: IdentityVerifiedDataDto,
  RenewalAnswered: RenewalAnsweredDataDto,
  PostMortemDirectiveRecorded: PostMortemDirectiveRecordedDataDto,
} satisfies { [T in PlatformEventType]: new () => DataDtoInstance<T> };
