import type { KeyVault } from '../../crypto/key-vault.port';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import type {
  RightsRequestAnsweredData,
  RightsRequestStep,
} from '../../domain/events/ledger-written-events';
import type { EventStore } from '../../event-store';
import type { Policy } from '../../policy/policy';
import type { LifecycleExecutor } from '../saga/lifecycle-executor';
import { readSubjectStream } from '../subject-stream';
import { answerDueBy, CHANGES_RETENTION, planRightsRequest } from './plan-rights-request';
import { rectify } from './rectify-record';
import {
  findRightsRequest,
  lifecycleFactsSince,
  rightsEventId,
  rightsRequestOf,
} from './rights-request-log';

export interface RightsDeskDeps {
  readonly store: EventStore;
  readonly vault: KeyVault;
  /** The saga's own step: an erasure a request made due runs exactly as the sweep runs it. */
  readonly executor: LifecycleExecutor;
}

/**
 * Carries out a request already in the subject's stream and records its answer: the plan's
 * due records through the saga's step (keys destroyed before `RecordErased`, ids fixed by
 * record and instant), a rectification's old keys, then `RightsRequestAnswered` with an id
 * fixed by the request. Every step is idempotent, so a call redone after a crash finishes
 * the work and writes nothing twice; the append names the revision it read (a racing
 * writer gets a ConcurrencyError, the caller tries again).
 */
export async function answerRightsRequest(
  deps: RightsDeskDeps,
  pseudonym: string,
  received: LedgerEventV1,
  policy: Policy,
  now: Date,
): Promise<{ eventId: string; data: RightsRequestAnsweredData }> {
  const asked = rightsRequestOf(received);
  const before = await readSubjectStream(deps.store, pseudonym);
  const plan = planRightsRequest(before.state, policy, asked, now);
  const done: RightsRequestStep[] = [...plan.steps];

  for (const ref of plan.due) await deps.executor.run(pseudonym, ref);
  if (asked.right === 'rectification' && asked.recordKey && asked.category) {
    const { receivedIndex } = findRightsRequest(before.events, asked.requestId);
    const ref = { recordKey: asked.recordKey, category: asked.category };
    done.push(...(await rectify(deps.vault, before.events.slice(0, receivedIndex), ref)));
  }

  const after = await readSubjectStream(deps.store, pseudonym);
  if (CHANGES_RETENTION.has(asked.right)) {
    const { receivedIndex } = findRightsRequest(after.events, asked.requestId);
    done.push(...lifecycleFactsSince(after.events, receivedIndex));
  }
  const data: RightsRequestAnsweredData = {
    requestId: asked.requestId,
    right: asked.right,
    ...(asked.purposes !== undefined && { purposes: asked.purposes }),
    receivedAt: asked.receivedAt,
    answerDueBy: answerDueBy(asked.receivedAt),
    answeredAt: now.toISOString(),
    policyVersion: policy.version,
    done,
    kept: plan.kept,
  };
  const eventId = rightsEventId('RightsRequestAnswered', pseudonym, asked.requestId);
  const answered: LedgerEventV1 = {
    v: 1,
    eventId,
    type: 'RightsRequestAnswered',
    subject: pseudonym,
    occurredAt: now.toISOString(),
    recordedAt: now.toISOString(),
    source: 'ledger',
    data: { ...data },
  };
  await deps.store.appendToStream({
    streamName: after.streamName,
    expectedRevision: after.expectedRevision,
    events: [{ eventId, type: answered.type, data: encodeLedgerEvent(answered) }],
  });
  return { eventId, data };
}
