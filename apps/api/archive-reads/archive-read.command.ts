import { Command } from '@nestjs/cqrs';

/** One archived value: what an event said about the record, opened. */
export interface ArchivedValue {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly values: unknown;
}

export interface ArchiveReadAnswer {
  readonly subjectId: string;
  readonly recordKey: string;
  readonly category: string;
  readonly archivedAt: string;
  /** The id of the `ArchiveRead` event that recorded this read. */
  readonly readId: string;
  readonly personalData: readonly ArchivedValue[];
}

export class ReadArchivedRecord extends Command<ArchiveReadAnswer> {
  constructor(
    readonly subjectId: string,
    readonly recordKey: string,
    readonly category: string,
    readonly reason: string,
    readonly readBy: readonly string[],
  ) {
    super();
  }
}
