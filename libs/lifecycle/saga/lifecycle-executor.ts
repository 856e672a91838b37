import type { KeyVault } from '../../crypto/key-vault.port';
import type { Clock } from '../../domain/clock';
import {
  decodeLedgerEvent,
  encodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../../domain/events/ledger-event';
import { evolveSubject } from '../../domain/subjects/evolve-subject';
import { initialSubjectState, type SubjectState } from '../../domain/subjects/subject-state';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  type EventStore,
  type ExpectedRevision,
} from '../../event-store';
import type { Policy } from '../../policy/policy';
import type { SystemsRegistry } from '../downstream/downstream-systems';
import { subjectLinkFate } from '../downstream/subject-link';
import {
  decideLifecycleAction,
  type LifecycleDecision,
  type RecordRef,
} from './lifecycle-decision';
import { lifecycleEventId } from './lifecycle-event-ids';
import { recordKeyIds } from './record-key-ids';
import type { LifecycleFaults } from './lifecycle-faults';

/** What one step did: the event it wrote (or found written), or why nothing. */
export type LifecycleOutcome =
  | { readonly done: 'nothing'; readonly why: string }
  | {
      readonly done: 'archived' | 'erased' | 'deferred' | 'renewal-requested';
      readonly eventId: string;
      /** False when the event was already in the log (a step redone after a crash). */
      readonly written: boolean;
    };

const TYPE_OF = {
  archive: 'RecordArchived',
  erase: 'RecordErased',
  defer: 'ErasureDeferred',
  'request-renewal': 'RenewalRequested',
} as const;
const DONE_OF = {
  archive: 'archived',
  erase: 'erased',
  defer: 'deferred',
  'request-renewal': 'renewal-requested',
} as const;
const ATTEMPTS = 5;

export interface LifecycleExecutorDeps {
  readonly store: EventStore;
  readonly vault: KeyVault;
  readonly clock: Clock;
  /** The policy in force now (read from the log). */
  readonly policy: () => Promise<Policy>;
  readonly faults: LifecycleFaults;
  /** The systems holding copies: the link to the platform id waits for them (subject-link). */
  readonly systems: SystemsRegistry;
}

/**
 * Carries out the next action of one record: reads the subject's stream, decides, and for an
 * erasure destroys the record's data keys (and forgets the subject with its last record,
 * keeping its platform id for the downstream systems when they need it: subject-link.ts)
 * BEFORE writing `RecordErased` (a crash in between leaves the record due: the step runs
 * again, destroying is idempotent and gives the same fingerprint). The event's id is
 * deterministic and the append names the revision it decided on, so a redone step or a
 * racing worker writes nothing twice.
 */
export class LifecycleExecutor {
  constructor(private readonly deps: LifecycleExecutorDeps) {}

  async run(pseudonym: string, ref: RecordRef): Promise<LifecycleOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(pseudonym, ref);
      } catch (error) {
        // Another writer moved the stream since it was read: decide again on the new facts.
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async attempt(pseudonym: string, ref: RecordRef): Promise<LifecycleOutcome> {
    const { store, clock, faults } = this.deps;
    const streamName = subjectStreamName(pseudonym);
    const recorded = await store.readStream(streamName);
    const events = recorded.map((e) => decodeLedgerEvent(e.data));
    const state = events.reduce(evolveSubject, initialSubjectState(pseudonym));
    const policy = await this.deps.policy();
    const now = clock.now();
    const decision = decideLifecycleAction(state, policy, ref, now);
    faults.reached('decided');
    if (decision.kind === 'nothing') return { done: 'nothing', why: decision.why };

    const type = TYPE_OF[decision.kind];
    const eventId = lifecycleEventId(type, pseudonym, ref, decision.data.dueAt, policy.version);
    let data: object = decision.data;
    if (decision.kind === 'erase') {
      data = { ...decision.data, ...(await this.eraseKeys(events, state, ref)) };
    }
    const event: LedgerEventV1 = {
      v: 1,
      eventId,
      type,
      subject: pseudonym,
      occurredAt: occurredAt(decision, now),
      recordedAt: now.toISOString(),
      source: 'ledger',
      data: { ...data },
    };
    const expectedRevision: ExpectedRevision =
      recorded.length === 0 ? 'no_stream' : recorded.at(-1)!.revision;
    let written = true;
    try {
      await store.appendToStream({
        streamName,
        expectedRevision,
        events: [{ eventId, type, data: encodeLedgerEvent(event) }],
      });
    } catch (error) {
      if (!(error instanceof DuplicateEventIdError)) throw error;
      written = false;
    }
    faults.reached('appended');
    return { done: DONE_OF[decision.kind], eventId, written };
  }

  /**
   * Destroys every data key the record's personal data was sealed under, oldest first (a
   * record erased before may have got a new key since), and when it is the subject's last
   * record forgets the link from the platform id (its sealed id kept by pseudonym while
   * systems must be told it), in one commit of the vault. Resolves once
   * that commit is durable and the vault's WAL truncated: only then is `RecordErased`
   * written. Idempotent: a key destroyed by a step that crashed gives the same fingerprint
   * again, and forgetting again is a no-op.
   */
  private async eraseKeys(events: readonly LedgerEventV1[], state: SubjectState, ref: RecordRef) {
    const keyIds = recordKeyIds(events, ref);
    const subjectLink = subjectLinkFate(state, ref, this.deps.systems);
    const destroyedKeys =
      keyIds.length === 0 && subjectLink === undefined
        ? []
        : await this.deps.vault.eraseRecordKeys({
            keyIds: [...keyIds],
            forgetSubject: subjectLink && state.subject,
            keepSubjectId: subjectLink === 'kept-for-systems',
          });
    this.deps.faults.reached('key-destroyed');
    return {
      keyFingerprint: destroyedKeys.at(-1)?.fingerprint ?? '',
      destroyedKeys,
      ...(subjectLink && { subjectLink }),
    };
  }
}

/**
 * A record leaves its active phase on its deadline, whenever the sweep gets to it (its
 * archive counts from there); an erasure, a deferral or a question happen now.
 */
function occurredAt(decision: Exclude<LifecycleDecision, { kind: 'nothing' }>, now: Date): string {
  return decision.kind === 'archive' ? decision.data.dueAt : now.toISOString();
}
