import type { Clock } from '../domain/clock';
import {
  decodeLedgerEvent,
  encodeLedgerEvent,
  type LedgerEventV1,
} from '../domain/events/ledger-event';
import {
  POLICY_STREAM,
  POLICY_VERSION_PUBLISHED,
  policyVersionEventId,
  type PolicyVersionPublishedData,
} from '../domain/policy-versions/policy-version-published';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  formatPosition,
  type EventStore,
} from '../event-store';
import type { Policy } from '../policy/policy';

export interface PublishedPolicyVersion extends PolicyVersionPublishedData {
  readonly eventId: string;
  readonly publishedAt: string;
  readonly position: string;
}

/** The versions the ledger has run, oldest first, from its `ledger-policy` stream. */
export async function readPolicyVersions(store: EventStore): Promise<PublishedPolicyVersion[]> {
  const events = await store.readStream(POLICY_STREAM);
  return events
    .filter((e) => e.type === POLICY_VERSION_PUBLISHED)
    .map((e) => {
      const event = decodeLedgerEvent(e.data);
      return {
        ...(event.data as unknown as PolicyVersionPublishedData),
        eventId: e.eventId,
        publishedAt: event.recordedAt,
        position: formatPosition(e.position),
      };
    });
}

/**
 * Records `PolicyVersionPublished` the first time the ledger runs a policy file (by its
 * SHA-256). Safe to call from several processes at once: the event id is derived from the
 * hash, so a race ends with one event and the loser sees it published.
 */
export async function ensurePolicyVersionPublished(
  store: EventStore,
  policy: Policy,
  text: string,
  clock: Clock,
): Promise<{ published: boolean }> {
  const known = await readPolicyVersions(store);
  if (known.some((v) => v.sha256 === policy.sha256)) return { published: false };

  const now = clock.now().toISOString();
  const data: PolicyVersionPublishedData = {
    version: policy.version,
    effectiveFrom: policy.effectiveFrom,
    sha256: policy.sha256,
    text,
  };
  const event: LedgerEventV1 = {
    v: 1,
    eventId: policyVersionEventId(policy.sha256),
    type: POLICY_VERSION_PUBLISHED,
    occurredAt: now,
    recordedAt: now,
    source: 'ledger',
    data: { ...data },
  };
  try {
    await store.appendToStream({
      streamName: POLICY_STREAM,
      expectedRevision: known.length === 0 ? 'no_stream' : BigInt(known.length - 1),
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    return { published: true };
  } catch (error) {
    if (error instanceof DuplicateEventIdError || error instanceof ConcurrencyError) {
      return ensurePolicyVersionPublished(store, policy, text, clock);
    }
    throw error;
  }
}
