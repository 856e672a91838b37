import type { CheckpointLine } from './bundle-format';

// The ledger's own event type and source for a signed checkpoint (libs/domain/audit): a
// string here, so that the verifier reads bundles without the ledger's domain code.
const CHECKPOINT_SIGNED = 'CheckpointSigned';
const MARKER = Buffer.from(`"type":"${CHECKPOINT_SIGNED}"`);
// How the ledger spells every stored event (JSON.stringify of { v, eventId, type, ... }):
// the type then sits at a fixed offset, read without a search.
const HEAD = Buffer.from('{"v":1,"eventId":"');
const UUID_LENGTH = 36;
const TYPE_AT = HEAD.length + UUID_LENGTH;
const TYPE = Buffer.from(`","type":"`);
const CHECKPOINT_TYPE = Buffer.from(`${CHECKPOINT_SIGNED}"`);

/**
 * False when the leaf is surely not a CheckpointSigned event. A search of every leaf for the
 * marker was 7% of the verifier's CPU (profiled); the ledger's layout is checked byte by
 * byte first, and a leaf spelled otherwise is searched.
 */
function mayBeCheckpoint(bytes: Buffer, from: number): boolean {
  if (startsWithAt(bytes, from, HEAD) && startsWithAt(bytes, from + TYPE_AT, TYPE)) {
    return startsWithAt(bytes, from + TYPE_AT + TYPE.length, CHECKPOINT_TYPE);
  }
  return bytes.indexOf(MARKER, from) >= 0;
}

function startsWithAt(bytes: Buffer, at: number, marker: Buffer): boolean {
  if (at + marker.length > bytes.length) return false;
  for (let i = 0; i < marker.length; i++) if (bytes[at + i] !== marker[i]) return false;
  return true;
}

/**
 * The checkpoint a CheckpointSigned leaf records, or undefined for any other leaf: the leaf
 * is bytes[from..]. The byte check comes first: parsing every leaf's JSON would cost as
 * much as hashing it; the index is made a string only for a checkpoint's leaf.
 */
export function checkpointInLeaf(
  index: string | number,
  eventId: string,
  bytes: Buffer,
  from = 0,
): CheckpointLine | undefined {
  if (!mayBeCheckpoint(bytes, from)) return undefined;
  let event: { type?: unknown; recordedAt?: unknown; data?: { note?: unknown } };
  try {
    event = JSON.parse(bytes.toString('utf8', from));
  } catch {
    return undefined;
  }
  if (event?.type !== CHECKPOINT_SIGNED || typeof event.data?.note !== 'string') return undefined;
  return {
    leafIndex: String(index),
    eventId,
    signedAt: typeof event.recordedAt === 'string' ? event.recordedAt : '?',
    note: event.data.note,
  };
}
