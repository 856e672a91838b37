import { createHmac } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { PublishedEvent } from '../../../libs/domain/events/published-event';

/**
 * A keyed digest of what the publisher sent, kept with the stored event, so that a retry
 * under a known `eventId` is recognised (same digest: the first answer again) or refused
 * (another body: 409). Keyed, because the body holds personal data that a plain hash would
 * let anyone confirm by guessing; canonical (sorted keys, normalized instants), so that the
 * same event serialised differently is still the same event.
 */
export function requestDigest(key: Buffer, event: PublishedEvent): string {
  return createHmac('sha256', key)
    .update(stringify(event) ?? '')
    .digest('base64url');
}
