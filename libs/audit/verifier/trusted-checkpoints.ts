// The checkpoint files one by one: the folder's index also holds the signing key, which
// reads the ledger's secret files; an auditor's tool has no business with those.
import { parseCheckpoint } from '../checkpoint/checkpoint-text';
import { keyLabel, openNote, type NoteVerifier } from '../checkpoint/signed-note';
import type { CheckpointLine } from './bundle-format';

/** A checkpoint whose note the trusted key signed: its size and root are now facts. */
export interface TrustedCheckpoint {
  readonly origin: string;
  readonly treeSize: bigint;
  readonly rootHash: Buffer;
  readonly signedAt: string;
  readonly eventId: string;
  readonly leafIndex: bigint | null;
  readonly note: string;
}

/** How a checkpoint is named in every message: its size and when it says it was signed. */
export function describeCheckpoint(treeSize: bigint | string, signedAt: string): string {
  return `checkpoint at size ${treeSize} (signed ${signedAt})`;
}

/**
 * Opens a checkpoint with the trusted key only. A note the key did not sign says nothing
 * about the log, whatever its text claims: the answer is then the reason, with the size
 * the unverified text claims (to name it) and the keys it was signed by.
 */
export function openCheckpoint(
  line: CheckpointLine,
  trusted: NoteVerifier,
): TrustedCheckpoint | string {
  const claimed = claimedSize(line.note);
  const name = describeCheckpoint(claimed ?? '?', line.signedAt);
  let body: string;
  try {
    body = openNote(line.note, [trusted]).body;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'NOTE.NO_KNOWN_SIGNATURE') {
      return `${name}: not signed by the trusted key ${keyLabel(trusted.name, trusted.keyId)} (signed by ${noteSigners(line.note).join(', ') || 'nobody'})`;
    }
    if (code === 'NOTE.INVALID_SIGNATURE') {
      return `${name}: the signature by the trusted key does not verify: the note was altered after signing`;
    }
    return `${name}: ${(error as Error).message}`;
  }
  try {
    const checkpoint = parseCheckpoint(body);
    return {
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      signedAt: line.signedAt,
      eventId: line.eventId,
      leafIndex: line.leafIndex === null ? null : BigInt(line.leafIndex),
      note: line.note,
    };
  } catch (error) {
    return `${name}: ${(error as Error).message}`;
  }
}

/** The size the note's text claims, before any signature is checked (for messages only). */
function claimedSize(note: string): string | undefined {
  const size = note.split('\n')[1];
  return size !== undefined && /^\d{1,20}$/.test(size) ? size : undefined;
}

/** `name+keyid` of every signature line of a note, as the signed-note format spells them. */
export function noteSigners(note: string): string[] {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return [];
  const signers: string[] = [];
  for (const line of note.slice(split + 2).split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    const keyId = Buffer.from(match[2], 'base64').subarray(0, 4);
    signers.push(keyLabel(match[1], keyId));
  }
  return signers;
}
