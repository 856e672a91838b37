import type { CheckpointLine } from './bundle-format';

// The ledger's own event type and source for a signed checkpoint (libs/domain/audit): a
// string here, so that the verifier reads bundles without the ledger's domain code.
const CHECKPOINT_SIGNED = 'CheckpointSigned';
const MARKER = Buffer.from(`"type":"${CHECKPOINT_SIGNED}"`);

/**
 * The checkpoint a CheckpointSigned leaf records, or undefined for any other leaf. The byte
 * search comes first: parsing every leaf's JSON would cost as much as hashing it.
 */
export function checkpointInLeaf(
  index: string,
  eventId: string,
  bytes: Buffer,
): CheckpointLine | undefined {
  if (bytes.indexOf(MARKER) < 0) return undefined;
  let event: { type?: unknown; recordedAt?: unknown; data?: { note?: unknown } };
  try {
    event = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (event?.type !== CHECKPOINT_SIGNED || typeof event.data?.note !== 'string') return undefined;
  return {
    leafIndex: index,
    eventId,
    signedAt: typeof event.recordedAt === 'string' ? event.recordedAt : '?',
    note: event.data.note,
  };
}
