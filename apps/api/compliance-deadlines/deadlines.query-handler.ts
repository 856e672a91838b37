import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import {
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  type Deadline,
  type ProjectionProgress,
  type ReadStore,
} from '../../../libs/projections';
import { waitForProjection } from '../retention-schedule/wait-for-projection';
import { decodeCursor, encodeCursor } from './deadline-cursor';
import { DeadlinesQuery, type DeadlineItem, type DeadlinesPage } from './deadlines.query';

@QueryHandler(DeadlinesQuery)
export class DeadlinesQueryHandler implements IQueryHandler<DeadlinesQuery> {
  constructor(
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly progress: ProjectionProgress,
  ) {}

  async execute({ before, limit, cursor }: DeadlinesQuery): Promise<DeadlinesPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    await waitForProjection(this.progress);
    // One row more than asked says whether another page follows.
    const rows = await this.readStore.deadlines({
      before: new Date(before).toISOString(),
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map((row) => this.item(row)));
    return { items, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
  }

  private async item(row: Deadline): Promise<DeadlineItem> {
    // A category has no `|`; a record key may: the last one separates them.
    const separator = row.recordId.lastIndexOf('|');
    return {
      subjectId: (await this.vault.subjectIdOf(row.pseudonym)) ?? null,
      recordKey: row.recordId.slice(0, separator),
      category: row.recordId.slice(separator + 1),
      action: row.action,
      dueAt: row.dueAt,
    };
  }
}
