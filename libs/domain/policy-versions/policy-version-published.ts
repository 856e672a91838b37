import { v5 } from 'uuid';

/**
 * The ledger records each policy version the first time it runs it, in its own stream, with
 * the file's text: the log alone then says which rules fixed every deadline, and read models
 * rebuild from it without the file at hand.
 */
export const POLICY_STREAM = 'ledger-policy';
export const POLICY_VERSION_PUBLISHED = 'PolicyVersionPublished';

export interface PolicyVersionPublishedData {
  readonly version: string;
  readonly effectiveFrom: string;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  /** The file's text, UTF-8. */
  readonly text: string;
}

/** Names the ledger's own deterministic ids (UUID version 5), so they never meet a publisher's. */
const LEDGER_ID_NAMESPACE = '2f1d4c8e-7b0a-4f5e-9c3d-6a8b1e2f4d70';

/**
 * Every process that publishes the same file proposes the same event id, so the log's
 * idempotency keeps one.
 */
export function policyVersionEventId(sha256: string): string {
  return ledgerEventId(`policy-version/${sha256}`);
}

/** The id of a fact the ledger writes, from a name that says what and about what. */
export function ledgerEventId(name: string): string {
  return v5(name, LEDGER_ID_NAMESPACE);
}
