/** The audit tree's SQLite file (`SqliteAuditTree`), shared by the projection and the proofs. */
export const AUDIT_TREE = Symbol('AUDIT_TREE');
/** When the worker signs on its own (`CheckpointScheduleOptions` without callbacks). */
export const CHECKPOINT_SCHEDULE = Symbol('CHECKPOINT_SCHEDULE');
/** `{ name, publicKey }`: the signing key's name (the origin) and its 32 raw public bytes. */
export const AUDIT_PUBLIC_KEY = Symbol('AUDIT_PUBLIC_KEY');

export interface AuditPublicKey {
  readonly name: string;
  readonly publicKey: Buffer;
}
