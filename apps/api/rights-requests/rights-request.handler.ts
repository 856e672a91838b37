import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../../libs/domain/events/ledger-event';
import type { RightsRequestAnsweredData } from '../../../libs/domain/events/ledger-written-events';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  EVENT_STORE,
  type EventStore,
} from '../../../libs/event-store';
import { PolicyBook } from '../../../libs/lifecycle/policy-book';
import { answerRightsRequest } from '../../../libs/lifecycle/rights/answer-rights-request';
import {
  findRightsRequest,
  rightsEventId,
  rightsRequestOf,
} from '../../../libs/lifecycle/rights/rights-request-log';
import type { LifecycleExecutor } from '../../../libs/lifecycle/saga/lifecycle-executor';
import { readSubjectStream, type SubjectStream } from '../../../libs/lifecycle/subject-stream';
import { POLICY, type Policy } from '../../../libs/policy';
import { InvalidRequestError } from '../errors/invalid-request.error';
import { pseudonymOfKnownSubject } from '../subjects/known-subject';
import { rightsAnswerView, type RightsAnswerView } from './rights-answer-view';
import { HandleRightsRequest } from './rights-request.command';
import type { RightsRequestDto } from './rights-request.request.dto';
import { RightsRequestIdReusedError } from './rights-requests.errors';

export const RIGHTS_EXECUTOR = Symbol('RIGHTS_EXECUTOR');

/** A racing writer on the subject's stream: read again and go on from where the log is. */
const ATTEMPTS = 5;

/**
 * Records the request (`RightsRequestReceived`, the same fact platforms publish, with an id
 * fixed by the request) unless the log has it, then has it carried out and answered
 * (`answerRightsRequest`). A retry after a crash finishes the work and writes nothing
 * twice; a retry after the answer answers the same, `duplicate: true`.
 */
@CommandHandler(HandleRightsRequest)
export class HandleRightsRequestHandler implements ICommandHandler<HandleRightsRequest> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RIGHTS_EXECUTOR) private readonly executor: LifecycleExecutor,
    private readonly book: PolicyBook,
    @Inject(POLICY) private readonly configured: Policy,
  ) {}

  async execute({ subjectId, request }: HandleRightsRequest): Promise<RightsAnswerView> {
    const pseudonym = await pseudonymOfKnownSubject(this.vault, subjectId);
    const policy = (await this.book.inForce()) ?? this.configured;
    const now = this.clock.now();
    const requestId = request.requestId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handle(subjectId, pseudonym, policy, now, { ...request, requestId });
      } catch (error) {
        const raced = error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
        if (!raced || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async handle(
    subjectId: string,
    pseudonym: string,
    policy: Policy,
    now: Date,
    request: RightsRequestDto & { requestId: string },
  ): Promise<RightsAnswerView> {
    const stream = await readSubjectStream(this.store, pseudonym);
    const found = findRightsRequest(stream.events, request.requestId);
    const { answer } = found;
    let { received } = found;
    if (received && !sameRequest(received, request)) throw new RightsRequestIdReusedError();
    if (answer) {
      const data = answer.data as unknown as RightsRequestAnsweredData;
      return rightsAnswerView(subjectId, answer.eventId, data, true);
    }
    if (!received) {
      checkRequest(request, policy, stream, now);
      received = receivedEvent(pseudonym, request, now);
      await this.append(stream, received);
    }

    const deps = { store: this.store, vault: this.vault, executor: this.executor };
    const { eventId, data } = await answerRightsRequest(deps, pseudonym, received, policy, now);
    return rightsAnswerView(subjectId, eventId, data, false);
  }

  private async append(stream: SubjectStream, event: LedgerEventV1): Promise<void> {
    await this.store.appendToStream({
      streamName: stream.streamName,
      expectedRevision: stream.expectedRevision,
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
  }
}

function receivedEvent(
  pseudonym: string,
  request: RightsRequestDto & { requestId: string },
  now: Date,
): LedgerEventV1 {
  const { requestId, right, purposes, recordKey, category } = request;
  return {
    v: 1,
    eventId: rightsEventId('RightsRequestReceived', pseudonym, requestId),
    type: 'RightsRequestReceived',
    subject: pseudonym,
    occurredAt: new Date(request.receivedAt ?? now).toISOString(),
    recordedAt: now.toISOString(),
    // Recorded by the ledger's compliance desk, not published by a platform service.
    source: 'compliance-desk',
    data: {
      requestId,
      right,
      ...(purposes !== undefined && { purposes }),
      ...(recordKey !== undefined && { recordKey }),
      ...(category !== undefined && { category }),
    },
  };
}

/**
 * What the DTO cannot check alone: purposes the policy knows, a date not in the future, a
 * rectification's record. Every problem at once; nothing is written when there is one.
 */
function checkRequest(
  request: RightsRequestDto,
  policy: Policy,
  stream: SubjectStream,
  now: Date,
): void {
  const problems: string[] = [];
  const known = new Set(policy.purposes.map((p) => p.id));
  for (const purpose of request.purposes ?? []) {
    if (!known.has(purpose))
      problems.push(`purposes: ${purpose} is not a purpose of the policy ${policy.version}`);
  }
  if (request.receivedAt !== undefined && Date.parse(request.receivedAt) > now.getTime()) {
    problems.push('receivedAt: must not be in the future');
  }
  const names = request.recordKey !== undefined || request.category !== undefined;
  if (request.right === 'rectification') {
    if (request.recordKey === undefined) problems.push('recordKey: required for a rectification');
    if (request.category === undefined) problems.push('category: required for a rectification');
    const id = `${request.recordKey}|${request.category}`;
    if (
      request.recordKey !== undefined &&
      request.category !== undefined &&
      !stream.state.records[id]
    ) {
      problems.push('recordKey: the subject has no such record in that category');
    }
  } else if (names) {
    problems.push('recordKey: only a rectification names a record');
  }
  if (problems.length > 0) throw new InvalidRequestError(problems);
}

/** The same request: same right, purposes, record and (when given) date. */
function sameRequest(received: LedgerEventV1, request: RightsRequestDto): boolean {
  const stored = rightsRequestOf(received);
  const purposes = (p: readonly string[] | undefined) => JSON.stringify([...(p ?? [])].sort());
  return (
    stored.right === request.right &&
    purposes(stored.purposes) === purposes(request.purposes) &&
    stored.recordKey === request.recordKey &&
    stored.category === request.category &&
    (request.receivedAt === undefined ||
      Date.parse(request.receivedAt) === Date.parse(stored.receivedAt))
  );
}
