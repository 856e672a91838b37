import { parseVerifierKey } from '../checkpoint/ed25519-note-keys';
import type { NoteVerifier } from '../checkpoint/signed-note';

export interface VerifyOptions {
  /** The checkpoint key as the auditor got it from the operator (`name+hexid+base64`). */
  readonly verifierKey?: string;
  /** Events whose inclusion in the latest checkpoint is to be proven. */
  readonly inclusion: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Things the auditor must know but that do not fail the check (e.g. an untrusted key). */
  readonly warnings: string[];
  /** Every mismatch, each naming its position; empty when ok. */
  readonly problems: string[];
  /** The summary and each inclusion proven. */
  readonly lines: string[];
}

/** What a report says in a few lines: counts, the root of the last checkpoint, the speed. */
export function summaryLines(facts: {
  readonly leaves: number;
  readonly checkpointsChecked: number;
  readonly checkpointsListed: number;
  readonly latest?: { readonly treeSize: bigint; readonly rootHash: Buffer };
  readonly recomputedRoot: Buffer;
  readonly seconds: number;
}): string[] {
  const rate = facts.seconds > 0 ? Math.round(facts.leaves / facts.seconds) : facts.leaves;
  return [
    `leaves: ${facts.leaves} (indices 0..${facts.leaves - 1} in order)`,
    `checkpoints: ${facts.checkpointsChecked} of ${facts.checkpointsListed} signed by the trusted key and equal to the leaves' root at their size`,
    facts.latest
      ? `latest checkpoint: size ${facts.latest.treeSize}, root ${facts.latest.rootHash.toString('base64')}`
      : 'latest checkpoint: none',
    `root of all ${facts.leaves} leaves: ${facts.recomputedRoot.toString('base64')}`,
    `time: ${facts.seconds.toFixed(2)} s, ${rate} events/s`,
  ];
}

/**
 * The auditor's own key when given; otherwise the key the log itself hands out, which proves
 * only that the log is the same as what that key signed, not who signed it: say so.
 */
export function trustedVerifier(
  verifierKey: string | undefined,
  fromLog: string,
  where: string,
  warnings: string[],
): NoteVerifier {
  if (verifierKey !== undefined) return parseVerifierKey(verifierKey);
  warnings.push(
    `WARNING: no --verifier-key given: checking signatures with the key ${where} (${fromLog}), ` +
      'which was not independently supplied; ask the operator for the key and pass it with --verifier-key',
  );
  return parseVerifierKey(fromLog);
}
