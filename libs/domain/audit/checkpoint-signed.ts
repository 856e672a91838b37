import { ledgerEventId } from '../policy-versions/policy-version-published';

/**
 * Every checkpoint the ledger signs is also a fact in its own log, in its own stream: the
 * log then says which tree heads were vouched for and when, and the signer can check each
 * new head against the last one it signed (never sign a fork).
 */
export const AUDIT_STREAM = 'ledger-audit';
export const CHECKPOINT_SIGNED = 'CheckpointSigned';

/**
 * What asked for the signature. `certificate`: an erasure's proof was asked for before any
 * checkpoint covered it (`GET /v1/compliance/erasures`).
 */
export const CHECKPOINT_TRIGGERS = ['interval', 'every', 'admin', 'certificate'] as const;
export type CheckpointTrigger = (typeof CHECKPOINT_TRIGGERS)[number];

export interface CheckpointSignedData {
  readonly origin: string;
  /** Decimal: a tree size may pass 2^53. */
  readonly treeSize: string;
  /** base64 of the 32-byte RFC 9162 root. */
  readonly rootHash: string;
  /** The C2SP signed note, as served by `GET /v1/audit/checkpoint`. */
  readonly note: string;
  /** The signed-note key id (hex, 4 bytes) of the key that signed it. */
  readonly keyId: string;
  readonly trigger: CheckpointTrigger;
}

/** One id per (origin, size, root): a second signer of the same head proposes the same event. */
export function checkpointEventId(origin: string, treeSize: bigint, rootHash: string): string {
  return ledgerEventId(`checkpoint/${origin}/${treeSize}/${rootHash}`);
}
