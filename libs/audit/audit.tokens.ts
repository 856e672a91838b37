/** The audit tree's SQLite file (`SqliteAuditTree`), shared by the projection and the proofs. */
export const AUDIT_TREE = Symbol('AUDIT_TREE');
/** The checkpoint signer (`NoteSigner`): its key is the one `GET /v1/audit/public-key` shows. */
export const NOTE_SIGNER = Symbol('NOTE_SIGNER');
/** When the worker signs on its own (`CheckpointScheduleOptions` without callbacks). */
export const CHECKPOINT_SCHEDULE = Symbol('CHECKPOINT_SCHEDULE');
/** `{ name, publicKey }`: the signing key's name (the origin) and its 32 raw public bytes. */
export const AUDIT_PUBLIC_KEY = Symbol('AUDIT_PUBLIC_KEY');

export interface AuditPublicKey {
  readonly name: string;
  readonly publicKey: Buffer;
}
