/**
 * Where the data keys of crypto-shredding and the subject pseudonyms live (decision 3).
 * Every method that creates or destroys something resolves only once that is durable.
 */

/** Which record a data key protects. One key per (owner, recordKey, category). */
export interface RecordKeyRef {
  /** The subject's pseudonym, never the platform id. */
  readonly owner: string;
  /** e.g. "account", "invoice:INV-7". */
  readonly recordKey: string;
  /** e.g. "identification": categories kept for different periods never share a key. */
  readonly category: string;
}

export interface DataKey {
  readonly keyId: string;
  /** 32 bytes, AES-256-GCM. */
  readonly key: Buffer;
}

export interface KeyDestruction {
  readonly keyId: string;
  /**
   * Hex SHA-256 over a domain label, the keyId and the key: identifies the destroyed key
   * without revealing it.
   */
  readonly fingerprint: string;
}

export interface LiveKey {
  readonly keyId: string;
  readonly recordKey: string;
  readonly category: string;
}

/** What erasing one record takes from the vault. */
export interface RecordErasure {
  /** The keys its data was sealed under, destroyed in this order (oldest first). */
  readonly keyIds: readonly string[];
  /** The subject's pseudonym when the record is its last one: the link goes too. */
  readonly forgetSubject?: string;
  /**
   * With `forgetSubject`: the platform id no longer finds the pseudonym (a subject that
   * comes back gets a new one), but `subjectIdOf` still answers until `forgetSubject`, for
   * the downstream systems that must be told who to erase.
   */
  readonly keepSubjectId?: boolean;
}

export interface KeyVault {
  /** The data key of each record, created and durably committed when missing; same order as refs. */
  dataKeysFor(refs: readonly RecordKeyRef[]): Promise<DataKey[]>;
  /** The key with this id; undefined once destroyed (or never existed). */
  dataKey(keyId: string): Promise<Buffer | undefined>;
  /**
   * Destroys the key for good and returns its fingerprint. Idempotent: destroying again
   * returns the same fingerprint; an unknown id rejects with KeyNotFoundError. A later
   * `dataKeysFor` of the same ref creates a NEW key (the shredded data stays unreadable).
   */
  destroyDataKey(keyId: string): Promise<KeyDestruction>;
  /**
   * `destroyDataKey` for each key, then `forgetSubject` when asked, all or nothing: one
   * commit, then one WAL truncation shared with the erasures committed beside it. Resolves
   * with the destructions, in order, once the WAL holds no copy of the keys.
   */
  eraseRecordKeys(erasure: RecordErasure): Promise<KeyDestruction[]>;
  /** The keys of one owner that are still alive. */
  liveKeysOf(owner: string): Promise<LiveKey[]>;
  /**
   * The pseudonym of a platform subject id: random, no link to the id. Created when missing
   * and `create` is true; undefined when missing otherwise.
   */
  pseudonymOf(subjectId: string, options: { create: boolean }): Promise<string | undefined>;
  /** Several at once, same order, the missing ones created in one commit. */
  pseudonymsOf(subjectIds: readonly string[]): Promise<string[]>;
  /** The platform id behind a pseudonym; undefined once forgotten. */
  subjectIdOf(pseudonym: string): Promise<string | undefined>;
  /**
   * Forgets the link (the subject's last record was erased), or what `keepSubjectId` kept of
   * it: neither direction resolves afterwards, and the same platform id later gets a NEW
   * pseudonym. Unknown: no-op.
   */
  forgetSubject(pseudonym: string): Promise<void>;
  close(): Promise<void>;
}
