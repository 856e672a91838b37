import type { LifecycleFactRow } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { InvalidRequestError } from '../errors/invalid-request.error';

type FactKey = Pick<LifecycleFactRow, 'recordedAt' | 'leafIndex'>;

/**
 * Where the next page starts: the last fact's (recordedAt, leaf index), base64url JSON.
 * Opaque to callers; any other text is refused.
 */
export function encodeErasureCursor({ recordedAt, leafIndex }: FactKey): string {
  return Buffer.from(JSON.stringify([recordedAt, leafIndex.toString()])).toString('base64url');
}

export function decodeErasureCursor(cursor: string): FactKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const [recordedAt, leafIndex] = Array.isArray(key) ? key : [];
  if (
    !Array.isArray(key) ||
    key.length !== 2 ||
    typeof recordedAt !== 'string' ||
    typeof leafIndex !== 'string' ||
    !/^(0|[1-9]\d{0,18})$/.test(leafIndex)
  ) {
    throw new InvalidRequestError(['cursor: must be a nextCursor this route returned']);
  }
  return { recordedAt, leafIndex: BigInt(leafIndex) };
}
