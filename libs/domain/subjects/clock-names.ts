/**
 * The clocks the ledger derives from events, by scope. A policy file names them in its
 * rules (and may define more from these); `evolveSubject` keeps them.
 */
export const SUBJECT_CLOCKS = [
  'accountCreated',
  'lastActivity',
  'accountClosed',
  'lastContact',
  'prospectRegistered',
  /** The latest contract end, known only once every signed contract has ended. */
  'contractsEnded',
  /**
   * The earliest erasure request (art. 17): every purpose not resting on a legal obligation
   * stops there for the records collected until then.
   */
  'erasureRequested',
  /** The latest withdrawal of every consent at once (a request naming no purpose). */
  'consentsWithdrawn',
  /** The earliest close of the account with reason `deceased`. */
  'deceased',
  /** The latest post-mortem directive of each kind (art. 40-1 loi Informatique et Libertés). */
  'directiveErase',
  'directiveCommunicate',
] as const;

export const RECORD_CLOCKS = [
  'collectedAt',
  'lastCollectedAt',
  'answeredAt',
  'verifiedAt',
  'contractEnded',
] as const;

/** Scoped to the purpose being evaluated. */
export const PURPOSE_CLOCKS = ['consentGiven', 'consentWithdrawn', 'objection'] as const;

export const BASE_CLOCKS: readonly string[] = [
  ...SUBJECT_CLOCKS,
  ...RECORD_CLOCKS,
  ...PURPOSE_CLOCKS,
];
