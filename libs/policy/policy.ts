/** What the ledger knows of a policy file. Grows with the retention rules (issue 3). */
export interface Policy {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly controller?: string;
  /** Category id -> what it holds, in the policy's words. */
  readonly categories: Readonly<Record<string, string>>;
  /** SHA-256 (hex) of the file's bytes: which text was in force is provable. */
  readonly sha256: string;
  readonly file: string;
}
