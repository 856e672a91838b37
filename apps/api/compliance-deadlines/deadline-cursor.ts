import type { DeadlineKey } from '../../../libs/projections';
import { InvalidRequestError } from '../errors/invalid-request.error';

/**
 * Where the next page starts: the last row's key in the deadlines index (due date,
 * pseudonym, record), base64url-encoded. Opaque to callers; any other text is refused.
 */
export function encodeCursor({ dueAt, pseudonym, recordId }: DeadlineKey): string {
  return Buffer.from(JSON.stringify([dueAt, pseudonym, recordId])).toString('base64url');
}

export function decodeCursor(cursor: string): DeadlineKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== 3 || !key.every((part) => typeof part === 'string')) {
    throw new InvalidRequestError(['cursor: must be a nextCursor this route returned']);
  }
  const [dueAt, pseudonym, recordId] = key as string[];
  return { dueAt, pseudonym, recordId };
}
