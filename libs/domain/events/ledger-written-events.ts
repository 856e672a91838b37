/**
 * Facts the ledger decides itself and writes into a subject's stream, under the same audit
 * chain as what platforms publish (spec/events.md, "Events the ledger writes itself"). Only
 * those the subject's state folds are here; type names are the stored contract.
 *
 * Instants are ISO-8601 UTC strings; `because` lists the ids of the events whose clocks
 * fixed the deadline, so that the decision can be proven from the log.
 */

export const DEFERRAL_REASONS = [
  'legal-obligation',
  'dispute',
  'restriction',
  'legal-hold',
] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];

/** A record left its active phase: kept only as evidence until its archive time is up. */
export interface RecordArchivedData {
  readonly recordKey: string;
  readonly category: string;
  readonly policyVersion: string;
  readonly purposes: readonly string[];
  readonly dueAt: string;
  readonly because: readonly string[];
}

/** A record's data key was destroyed: its personal data is unrecoverable. */
export interface RecordErasedData {
  readonly recordKey: string;
  readonly category: string;
  readonly policyVersion: string;
  readonly purposes: readonly string[];
  readonly dueAt: string;
  readonly because: readonly string[];
  /** Fingerprint of the destroyed key: the proof names which key is gone, never the key. */
  readonly keyFingerprint: string;
  /**
   * Every key the record's data was sealed under, oldest first (data that came after an
   * earlier erasure got a new key); `keyFingerprint` is the last one's.
   */
  readonly destroyedKeys?: readonly { readonly keyId: string; readonly fingerprint: string }[];
  /**
   * Only on the subject's last record: the link from the platform id was forgotten in the
   * same vault commit as the keys, or kept until every downstream system has acknowledged
   * its commands about the subject (they are told the platform id through it), then
   * forgotten with `SubjectLinkForgotten`.
   */
  readonly subjectLink?: SubjectLinkFate;
}

export type SubjectLinkFate = 'forgotten' | 'kept-for-systems';

/** The subject was asked whether a purpose may go on; no answer by `answerBy` means no. */
export interface RenewalRequestedData {
  readonly recordKey: string;
  readonly category: string;
  readonly purpose: string;
  readonly policyVersion: string;
  readonly dueAt: string;
  readonly answerBy: string;
}

/** A record was due for erasure and kept: why, in one word the answer to the subject shows. */
export interface ErasureDeferredData {
  readonly recordKey: string;
  readonly category: string;
  readonly reason: DeferralReason;
  readonly policyVersion: string;
  readonly dueAt: string;
}

/** An admin froze the erasure of every record of the subject (litigation, an authority). */
export interface LegalHoldPlacedData {
  readonly holdId: string;
  /** Free text an admin wrote; it names a case, not a person's data. */
  readonly reason: string;
}

export interface LegalHoldReleasedData {
  readonly holdId: string;
  readonly reason: string;
}

/** What answering a rights request did, one entry per fact (the facts' own ids). */
export interface RightsRequestStep {
  readonly action:
    | 'erased'
    | 'deferred'
    | 'archived'
    | 'purposes-stopped'
    | 'restricted'
    | 'restriction-lifted'
    | 'key-destroyed'
    | 'export-offered';
  readonly recordKey?: string;
  readonly category?: string;
  readonly purposes?: readonly string[];
  /** The fact that did it (`RecordErased`, `ErasureDeferred`, ...) when one was written. */
  readonly eventId?: string;
  /** `key-destroyed` (a rectification): the destroyed keys' fingerprints, oldest first. */
  readonly keyFingerprints?: readonly string[];
}

/** A record the request concerned and the ledger kept, and why. */
export interface KeptRecord {
  readonly recordKey: string;
  readonly category: string;
  readonly reason: DeferralReason;
}

/**
 * The answer to a rights request (art. 12(3): within a month of `receivedAt`): what was
 * done and what was kept, and why. It closes the request's deadline.
 */
export interface RightsRequestAnsweredData {
  readonly requestId: string;
  readonly right: string;
  readonly purposes?: readonly string[];
  readonly receivedAt: string;
  readonly answerDueBy: string;
  readonly answeredAt: string;
  readonly policyVersion: string;
  readonly done: readonly RightsRequestStep[];
  readonly kept: readonly KeptRecord[];
}

export interface LedgerWrittenDataByType {
  RecordArchived: RecordArchivedData;
  RecordErased: RecordErasedData;
  RenewalRequested: RenewalRequestedData;
  ErasureDeferred: ErasureDeferredData;
  LegalHoldPlaced: LegalHoldPlacedData;
  LegalHoldReleased: LegalHoldReleasedData;
  RightsRequestAnswered: RightsRequestAnsweredData;
}

export const LEDGER_WRITTEN_EVENT_TYPES = [
  'RecordArchived',
  'RecordErased',
  'RenewalRequested',
  'ErasureDeferred',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'RightsRequestAnswered',
] as const satisfies readonly (keyof LedgerWrittenDataByType)[];
export type LedgerWrittenEventType = (typeof LEDGER_WRITTEN_EVENT_TYPES)[number];

// As in the catalogue: a data shape whose type is not listed does not compile.
type AssertNever<T extends never> = T;
type _EveryDataShapeIsListed = AssertNever<
  Exclude<keyof LedgerWrittenDataByType, LedgerWrittenEventType>
>;

const ledgerWrittenEventTypes: ReadonlySet<string> = new Set(LEDGER_WRITTEN_EVENT_TYPES);

export function isLedgerWrittenEventType(x: unknown): x is LedgerWrittenEventType {
  return typeof x === 'string' && ledgerWrittenEventTypes.has(x);
}

/*
 * Commands to the downstream systems that hold copies of the data (the platform's database,
 * its CRM, ...). They are facts of the ledger in the subject's stream, but the subject's
 * state does not fold them: what a system was told changes no deadline.
 */

export const COMMAND_ACTIONS = ['erase', 'archive', 'request-renewal'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

/** The ledger told a system to act on one record, because of one of its own facts. */
export interface CommandIssuedData {
  readonly system: string;
  readonly commandId: string;
  readonly action: CommandAction;
  /** The subject's pseudonym: the platform id never reaches the log. */
  readonly subject: string;
  readonly recordKey: string;
  readonly category: string;
  /** The `RecordErased`, `RecordArchived` or `RenewalRequested` the command carries out. */
  readonly factEventId: string;
  readonly issuedAt: string;
  /** `issuedAt` plus the system's acknowledgement SLA. */
  readonly dueBy: string;
}

/** The system said it has done it: a 2xx to the webhook, or an ack on the pull route. */
export interface CommandAcknowledgedData {
  readonly system: string;
  readonly commandId: string;
  readonly acknowledgedAt: string;
  readonly via: 'webhook' | 'pull';
}

/** The webhook failed every try: a person has to follow it up (it stays overdue). */
export interface CommandDeadLetteredData {
  readonly system: string;
  readonly commandId: string;
  readonly tries: number;
  /** `http-503`, `timeout`, `network`: never a response body. */
  readonly lastError: string;
  readonly deadLetteredAt: string;
}

/**
 * The link from the platform id, kept past the last record's erasure for the downstream
 * systems, is gone: every command about the subject was acknowledged.
 */
export interface SubjectLinkForgottenData {
  /** The `RecordErased` (last record, `subjectLink: kept-for-systems`) that kept it. */
  readonly factEventId: string;
  readonly forgottenAt: string;
}

export interface DownstreamCommandDataByType {
  CommandIssued: CommandIssuedData;
  CommandAcknowledged: CommandAcknowledgedData;
  CommandDeadLettered: CommandDeadLetteredData;
  SubjectLinkForgotten: SubjectLinkForgottenData;
}
export type DownstreamCommandEventType = keyof DownstreamCommandDataByType;
