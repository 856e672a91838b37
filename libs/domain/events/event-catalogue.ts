/**
 * The events platform services publish (spec/events.md, "Catalogue"). Type names are the
 * stored contract: past tense, never renamed; a changed shape gets a new type version.
 *
 * `data` carries no personal data, only ids, enums and amounts; personal values travel in
 * the envelope's `personalData`, which is encrypted on its own.
 */

export const ACCOUNT_ROLES = ['member', 'ambassador', 'client'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const CONTACT_CHANNELS = ['email', 'phone', 'platform', 'meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const CLOSE_REASONS = ['user-request', 'inactivity', 'admin', 'deceased'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'restriction-lifted',
  'portability',
  'objection',
  'consent-withdrawal',
] as const;
export type DataSubjectRight = (typeof RIGHTS)[number];

export const RECIPIENT_TYPES = ['school', 'company'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const DIRECTIVES = ['erase', 'communicate'] as const;
export type PostMortemDirective = (typeof DIRECTIVES)[number];

/**
 * Types whose `data` is empty: `occurredAt` is the whole fact. Publishers may omit `data`
 * for them; it is then `{}`. An empty interface would accept any object in TypeScript,
 * hence a record with no possible field.
 */
export type EmptyEventData = Readonly<Record<string, never>>;

export interface AccountCreatedData {
  readonly role: AccountRole;
  readonly schoolId?: string;
  readonly companyId?: string;
  readonly viaSchoolLink?: boolean;
}
export type LastActivityData = EmptyEventData;
export interface ContactMadeData {
  readonly channel: ContactChannel;
  readonly direction: ContactDirection;
  readonly counterpartId?: string;
}
export interface ReviewPostedData {
  readonly reviewId: string;
}
export interface InvoiceIssuedData {
  readonly invoiceId: string;
  /** Finite, may be decimal or negative (a credit note). */
  readonly amount: number;
  /** ISO 4217, upper case: `EUR`. */
  readonly currency: string;
}
export interface AccountClosedData {
  readonly reason: CloseReason;
}
export interface ContractSignedData {
  readonly contractId: string;
}
export interface ContractEndedData {
  readonly contractId: string;
}
export interface TransactionRecordedData {
  readonly transactionId: string;
  readonly amount: number;
  readonly currency: string;
}
export interface ProspectRegisteredData {
  readonly origin: string;
}
export interface ConsentGivenData {
  /** A purpose id of the policy; checked against the policy in force, not here. */
  readonly purpose: string;
}
export interface ConsentWithdrawnData {
  readonly purpose: string;
}
export type VisitRecordedData = EmptyEventData;
export interface BugReportedData {
  readonly reportId: string;
}
export interface InformationRequestedData {
  readonly requestId: string;
}
export interface InformationRequestAnsweredData {
  readonly requestId: string;
}
export interface ReportSharedData {
  readonly reportId: string;
  readonly recipientType: RecipientType;
  readonly recipientId: string;
}
export interface DisputeOpenedData {
  readonly disputeId: string;
  readonly invoiceId?: string;
}
export interface DisputeClosedData {
  readonly disputeId: string;
  readonly invoiceId?: string;
}
export interface RightsRequestReceivedData {
  readonly requestId: string;
  readonly right: DataSubjectRight;
  /** Purpose ids the request is limited to (an objection to marketing only, say). */
  readonly purposes?: readonly string[];
}
export interface IdentityProofReceivedData {
  readonly requestId: string;
}
export interface IdentityVerifiedData {
  readonly requestId: string;
}
export interface RenewalAnsweredData {
  readonly purpose: string;
  readonly accepted: boolean;
}
export interface PostMortemDirectiveRecordedData {
  readonly directive: PostMortemDirective;
  readonly beneficiaryId?: string;
}

export interface EventDataByType {
  AccountCreated: AccountCreatedData;
  LastActivity: LastActivityData;
  ContactMade: ContactMadeData;
  ReviewPosted: ReviewPostedData;
  InvoiceIssued: InvoiceIssuedData;
  AccountClosed: AccountClosedData;
  ContractSigned: ContractSignedData;
  ContractEnded: ContractEndedData;
  TransactionRecorded: TransactionRecordedData;
  ProspectRegistered: ProspectRegisteredData;
  ConsentGiven: ConsentGivenData;
  ConsentWithdrawn: ConsentWithdrawnData;
  VisitRecorded: VisitRecordedData;
  BugReported: BugReportedData;
  InformationRequested: InformationRequestedData;
  InformationRequestAnswered: InformationRequestAnsweredData;
  ReportShared: ReportSharedData;
  DisputeOpened: DisputeOpenedData;
  DisputeClosed: DisputeClosedData;
  RightsRequestReceived: RightsRequestReceivedData;
  IdentityProofReceived: IdentityProofReceivedData;
  IdentityVerified: IdentityVerifiedData;
  RenewalAnswered: RenewalAnsweredData;
  PostMortemDirectiveRecorded: PostMortemDirectiveRecordedData;
}

/** In the catalogue's order: the five of the design card first. */
export const PLATFORM_EVENT_TYPES = [
  'AccountCreated',
  'LastActivity',
  'ContactMade',
  'ReviewPosted',
  'InvoiceIssued',
  'AccountClosed',
  'ContractSigned',
  'ContractEnded',
  'TransactionRecorded',
  'ProspectRegistered',
  'ConsentGiven',
  'ConsentWithdrawn',
  'VisitRecorded',
  'BugReported',
  'InformationRequested',
  'InformationRequestAnswered',
  'ReportShared',
  'DisputeOpened',
  'DisputeClosed',
  'RightsRequestReceived',
  'IdentityProofReceived',
  'IdentityVerified',
  'RenewalAnswered',
  'PostMortemDirectiveRecorded',
] as const satisfies readonly (keyof EventDataByType)[];
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

// `satisfies` above refuses a listed type with no data shape; this refuses a data shape
// whose type is not listed. Both at compile time.
type AssertNever<T extends never> = T;
type _EveryDataShapeIsListed = AssertNever<Exclude<keyof EventDataByType, PlatformEventType>>;

export const EVENT_TYPES_WITHOUT_DATA = [
  'LastActivity',
  'VisitRecorded',
] as const satisfies readonly PlatformEventType[];
export type EventTypeWithoutData = (typeof EVENT_TYPES_WITHOUT_DATA)[number];

const platformEventTypes: ReadonlySet<string> = new Set(PLATFORM_EVENT_TYPES);

export function isPlatformEventType(x: unknown): x is PlatformEventType {
  return typeof x === 'string' && platformEventTypes.has(x);
}

export function isEventTypeWithoutData(type: PlatformEventType): type is EventTypeWithoutData {
  return (EVENT_TYPES_WITHOUT_DATA as readonly string[]).includes(type);
}
