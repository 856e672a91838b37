import type { LogPosition } from '../../../libs/event-store/event-store.port';

export interface StoredDigest {
  readonly digest: string | undefined;
  readonly position: LogPosition;
}

export type Classified =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly position: LogPosition }
  | { readonly kind: 'conflict' };

/**
 * Publishers retry: an event id already in the log is the same event again when its digest
 * matches (answer as the first time), and a mistake when it does not (refuse).
 */
export function classifyRetry(digest: string, stored: StoredDigest | undefined): Classified {
  if (stored === undefined) return { kind: 'new' };
  return stored.digest === digest
    ? { kind: 'duplicate', position: stored.position }
    : { kind: 'conflict' };
}
