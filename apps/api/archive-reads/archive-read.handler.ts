import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { openPersonalData } from '../../../libs/crypto/personal-data/seal-personal-data';
import { decideArchiveRead } from '../../../libs/domain/archive-reads/decide-archive-read';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { ARCHIVE_READ, type ArchiveReadData } from '../../../libs/domain/events/archive-read';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../../libs/domain/events/ledger-event';
import { ConcurrencyError, EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { readSubjectStream } from '../../../libs/lifecycle/subject-stream';
import { pseudonymOfKnownSubject } from '../subjects/known-subject';
import {
  ReadArchivedRecord,
  type ArchiveReadAnswer,
  type ArchivedValue,
} from './archive-read.command';
import {
  RecordErasedError,
  RecordNotArchivedError,
  UnknownRecordError,
} from './archive-reads.errors';

const ATTEMPTS = 5;

/**
 * Opens an archived record's sealed values and records the read (`ArchiveRead`) BEFORE
 * answering with them. The append names the revision the decision was made on: if the saga
 * erased the record in between, the append fails, the read decides again and answers 410.
 */
@CommandHandler(ReadArchivedRecord)
export class ReadArchivedRecordHandler implements ICommandHandler<ReadArchivedRecord> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ReadArchivedRecord): Promise<ArchiveReadAnswer> {
    const pseudonym = await pseudonymOfKnownSubject(this.vault, command.subjectId);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read(pseudonym, command);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async read(pseudonym: string, command: ReadArchivedRecord): Promise<ArchiveReadAnswer> {
    const { subjectId, recordKey, category, reason, readBy } = command;
    const { streamName, state, events, expectedRevision } = await readSubjectStream(
      this.store,
      pseudonym,
    );
    const decision = decideArchiveRead(state, events, recordKey, category);
    if (decision.kind === 'unknown-record') throw new UnknownRecordError();
    if (decision.kind === 'not-archived') throw new RecordNotArchivedError();
    if (decision.kind === 'erased') throw new RecordErasedError();

    const personalData: ArchivedValue[] = [];
    for (const { event, box } of decision.boxes) {
      const key = await this.vault.dataKey(box.keyId);
      // A key destroyed under an archived record: its erasure is under way.
      if (key === undefined) throw new RecordErasedError();
      const values = openPersonalData(event.eventId, box, key);
      personalData.push({
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        values,
      });
    }

    const now = this.clock.now().toISOString();
    const data: ArchiveReadData = {
      recordKey,
      category,
      reason,
      readBy,
      eventIds: [...new Set(personalData.map((p) => p.eventId))],
    };
    const read: LedgerEventV1 = {
      v: 1,
      eventId: randomUUID(),
      type: ARCHIVE_READ,
      subject: pseudonym,
      occurredAt: now,
      recordedAt: now,
      source: 'ledger',
      data: { ...data },
    };
    await this.store.appendToStream({
      streamName,
      expectedRevision,
      events: [{ eventId: read.eventId, type: read.type, data: encodeLedgerEvent(read) }],
    });
    return {
      subjectId,
      recordKey,
      category,
      archivedAt: decision.archivedAt,
      readId: read.eventId,
      personalData,
    };
  }
}
