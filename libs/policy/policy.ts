/**
 * A policy file, as the ledger reads it: the categories of personal data, the clocks the
 * policy defines from the ledger's base clocks, and the purposes with their legal basis and
 * retention rules. Nothing of a policy lives in code: another company writes another file.
 */
export interface Policy {
  readonly version: string;
  /** ISO-8601 UTC instant from which this version is in force. */
  readonly effectiveFrom: string;
  readonly controller?: string;
  /** Category id -> what it holds, in the policy's words. */
  readonly categories: Readonly<Record<string, string>>;
  /** Clocks the policy derives from others (e.g. the end of an account). */
  readonly clocks: Readonly<Record<string, DateRule>>;
  readonly purposes: readonly Purpose[];
  /** Where the data is stored and transferred (section 5 of the seed policy). */
  readonly storage?: readonly StorageLocation[];
  /** SHA-256 (hex) of the file's bytes: which text was in force is provable. */
  readonly sha256: string;
  readonly file: string;
}

export const LEGAL_BASES = [
  'contract',
  'legitimate-interest',
  'consent',
  'legal-obligation',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** `visitor`: a subject the platform knows neither as an account holder nor as a prospect. */
export const SUBJECT_ROLES = ['member', 'ambassador', 'client', 'prospect', 'visitor'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

/** An ISO-8601 calendar duration as written in the file (`P2Y`, `P14M`, `P30D`), parsed. */
export interface CalendarDuration {
  readonly iso: string;
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/**
 * When something happens, from clocks: a clock (plus a duration), or the earliest or latest
 * of several. In `earliest` an unknown clock does not count (the spec's "whichever is
 * first"); in `latest` it holds the date open (the later of two ends has not come while one
 * has not). A rule with no date yet gives `activeUntil: null`.
 */
export type DateRule =
  | { readonly clock: string; readonly plus?: CalendarDuration }
  | { readonly earliest: readonly DateRule[] }
  | { readonly latest: readonly DateRule[] };

/** What follows the active phase. */
export type ThenRule =
  | { readonly kind: 'erase' }
  | { readonly kind: 'archive'; readonly for: CalendarDuration }
  | {
      readonly kind: 'renew';
      readonly answerWithin: CalendarDuration;
      readonly extendBy: CalendarDuration;
    };

/** How a purpose treats subjects of some roles: the first rule naming the role applies. */
export interface PurposeRule {
  readonly roles: readonly SubjectRole[];
  readonly legalBasis: readonly LegalBasis[];
  readonly activeUntil: DateRule;
  readonly then: ThenRule;
  /**
   * Clocks (purpose clocks such as `consentWithdrawn`, `objection`) that end the purpose at
   * once when they are known: what it kept is then erased, never renewed nor archived.
   */
  readonly stoppedBy?: readonly string[];
}

export interface Purpose {
  readonly id: string;
  /** The policy's own words for the purpose. */
  readonly text: string;
  /** Record kinds it keeps: the part of a record key before `:` (`account`, `invoice`, ...). */
  readonly records: readonly string[];
  /** Categories it keeps within those records. */
  readonly categories: readonly string[];
  readonly rules: readonly PurposeRule[];
  /** A legal hold (an open dispute) defers erasure of what this purpose keeps. */
  readonly heldByDisputes?: boolean;
  /** Recipients of the data kept for this purpose (section 4), for the register and exports. */
  readonly recipients?: readonly string[];
}

export interface StorageLocation {
  readonly where: string;
  readonly transfers?: string;
}
