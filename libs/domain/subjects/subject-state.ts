/**
 * What the ledger knows of one subject, folded from its events by `evolveSubject`: the
 * clocks its retention rules start from, and its records. Plain data, no personal values
 * (the subject is its pseudonym; records are named by key and category).
 *
 * Every merge is a minimum, a maximum or a set union with a deterministic tie-break, so the
 * state is the same whatever order the events arrive in, and applying one twice changes
 * nothing.
 */
export interface ClockValue {
  /** ISO-8601 UTC instant (`toISOString()` form). */
  readonly at: string;
  /** The event that fixed this value: deadlines can be proven. */
  readonly eventId: string;
}

/** Account roles from `AccountCreated`; `prospect` and `visitor` are derived (see roleOf). */
export interface RoleValue extends ClockValue {
  readonly role: 'member' | 'ambassador' | 'client';
}

export interface ContractState {
  readonly signed?: ClockValue;
  readonly ended?: ClockValue;
}

/** A dispute event's instant and the invoice it names, if it names one. */
export interface DisputeMark extends ClockValue {
  readonly invoiceId?: string;
}

export interface DisputeState {
  readonly opened?: DisputeMark;
  readonly closed?: DisputeMark;
  /**
   * The invoice the earliest opening names, else the one the latest closing names: kept on
   * the marks as well so that the choice does not depend on the order events arrive in.
   */
  readonly invoiceId?: string;
}

/** Consent and objection for one purpose. */
export interface PurposeConsent {
  readonly consentGiven?: ClockValue;
  readonly consentWithdrawn?: ClockValue;
  readonly objection?: ClockValue;
}

/** One record: one record key and one category of personal data. */
export interface RecordState {
  readonly recordKey: string;
  readonly category: string;
  /** Earliest collection: "N months after collection" counts from here. */
  readonly collectedAt: ClockValue;
  readonly lastCollectedAt: ClockValue;
  /** Publishing services it came from, sorted. */
  readonly sources: readonly string[];
}

/** Facts the ledger itself decided about a record (issue 4 writes them). */
export interface RecordPhaseState {
  readonly archived?: ClockValue;
  readonly erased?: ClockValue;
}

export interface SubjectState {
  readonly subject: string;
  /** The account role, from the earliest `AccountCreated`. */
  readonly account?: RoleValue;
  readonly prospect?: ClockValue;
  /**
   * Subject clocks: `accountCreated` (earliest), `lastActivity` (latest; account creation and
   * platform conversations count as activity), `accountClosed` (earliest), `lastContact`
   * (latest; prospect registration counts as a contact).
   */
  readonly clocks: Readonly<Record<string, ClockValue>>;
  readonly contracts: Readonly<Record<string, ContractState>>;
  readonly disputes: Readonly<Record<string, DisputeState>>;
  readonly consents: Readonly<Record<string, PurposeConsent>>;
  /**
   * Record clocks by record key, fed whether or not the event carried personal data:
   * `answeredAt` (request:<id>), `verifiedAt` (identity-proof:<id>), `contractEnded`
   * (contract:<id>).
   */
  readonly recordClocks: Readonly<Record<string, Readonly<Record<string, ClockValue>>>>;
  /** By record id `<recordKey>|<category>`. */
  readonly records: Readonly<Record<string, RecordState>>;
  readonly phases: Readonly<Record<string, RecordPhaseState>>;
  /** Renewal questions the ledger asked and the subject's answers, by purpose. */
  readonly renewals: Readonly<Record<string, RenewalState>>;
  /** Art. 18 restriction: the latest request and the latest lifting. */
  readonly restriction?: RestrictionState;
  /** Legal holds admins placed, by hold id. */
  readonly legalHolds?: Readonly<Record<string, LegalHoldState>>;
}

/** Restricted while the latest request is later than the latest lifting. */
export interface RestrictionState {
  readonly requested?: ClockValue;
  readonly lifted?: ClockValue;
}

/** Held from its earliest placing until a release. */
export interface LegalHoldState {
  readonly placed?: ClockValue;
  readonly released?: ClockValue;
}

/**
 * The latest question and the latest answer. An answer after the question settles it:
 * accepted, the purpose runs `extendBy` from the answer; refused, it ends at the answer.
 * A question with no later answer ends the purpose when its answer window closes.
 */
export interface RenewalState {
  readonly requested?: ClockValue;
  readonly answered?: ClockValue & { readonly accepted: boolean };
}

export function recordIdOf(recordKey: string, category: string): string {
  return `${recordKey}|${category}`;
}

/** The record key and category of a record id (categories have no `|`; keys might). */
export function recordRefOf(recordId: string): { recordKey: string; category: string } {
  const bar = recordId.lastIndexOf('|');
  return { recordKey: recordId.slice(0, bar), category: recordId.slice(bar + 1) };
}

export function initialSubjectState(subject: string): SubjectState {
  return {
    subject,
    clocks: {},
    contracts: {},
    disputes: {},
    consents: {},
    recordClocks: {},
    records: {},
    phases: {},
    renewals: {},
  };
}
