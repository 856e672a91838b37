import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import {
  encodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../../../libs/domain/events/ledger-event';
import {
  decidePlaceLegalHold,
  decideReleaseLegalHold,
  legalHoldView,
  type LegalHoldView,
} from '../../../libs/domain/legal-holds/decide-legal-holds';
import { evolveSubject } from '../../../libs/domain/subjects/evolve-subject';
import { ledgerEventId } from '../../../libs/domain/policy-versions/policy-version-published';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  EVENT_STORE,
  type EventStore,
} from '../../../libs/event-store';
import { readSubjectStream } from '../../../libs/lifecycle/subject-stream';
import { pseudonymOfKnownSubject } from '../subjects/known-subject';
import { PlaceLegalHold, ReleaseLegalHold } from './legal-holds.commands';
import { UnknownLegalHoldError } from './legal-holds.errors';

/** A release racing another one (or a saga step) decides again on the new stream. */
const ATTEMPTS = 5;

/** A new hold on every record of the subject: the saga defers their erasure while it holds. */
@CommandHandler(PlaceLegalHold)
export class PlaceLegalHoldHandler implements ICommandHandler<PlaceLegalHold> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ subjectId, reason }: PlaceLegalHold): Promise<LegalHoldView> {
    const pseudonym = await pseudonymOfKnownSubject(this.vault, subjectId);
    const holdId = randomUUID();
    const event = ledgerEvent(
      pseudonym,
      'LegalHoldPlaced',
      holdId,
      this.clock.now(),
      decidePlaceLegalHold(holdId, reason),
    );
    await this.store.appendToStream({
      streamName: subjectStreamName(pseudonym),
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    return { holdId, placedAt: event.occurredAt, reason };
  }
}

@CommandHandler(ReleaseLegalHold)
export class ReleaseLegalHoldHandler implements ICommandHandler<ReleaseLegalHold> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ subjectId, holdId, reason }: ReleaseLegalHold): Promise<LegalHoldView> {
    const pseudonym = await pseudonymOfKnownSubject(this.vault, subjectId);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.release(pseudonym, holdId, reason);
      } catch (error) {
        // The release id is fixed per hold: a racing release makes ours a duplicate, and
        // reading again answers as it did.
        const raced = error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
        if (!raced || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async release(pseudonym: string, holdId: string, reason: string) {
    const { streamName, state, events, expectedRevision } = await readSubjectStream(
      this.store,
      pseudonym,
    );
    const decision = decideReleaseLegalHold(state, events, holdId, reason);
    if (decision.kind === 'unknown-hold') throw new UnknownLegalHoldError();
    if (decision.kind === 'already-released') return decision.hold;
    const event = ledgerEvent(
      pseudonym,
      'LegalHoldReleased',
      holdId,
      this.clock.now(),
      decision.data,
    );
    await this.store.appendToStream({
      streamName,
      expectedRevision,
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    return legalHoldView(evolveSubject(state, event), [...events, event], holdId)!;
  }
}

/** The event's id is fixed by the hold and the step: one placing and one release per hold. */
function ledgerEvent(
  pseudonym: string,
  type: 'LegalHoldPlaced' | 'LegalHoldReleased',
  holdId: string,
  now: Date,
  data: object,
): LedgerEventV1 {
  return {
    v: 1,
    eventId: ledgerEventId(['legal-hold', type, pseudonym, holdId].join('\n')),
    type,
    subject: pseudonym,
    occurredAt: now.toISOString(),
    recordedAt: now.toISOString(),
    source: 'ledger',
    data: { ...data },
  };
}
