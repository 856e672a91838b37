import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { COMMAND_STORE } from '../../../libs/lifecycle/downstream/downstream.tokens';
import type { SqliteCommandStore } from '../../../libs/lifecycle/downstream/sqlite-command-store';
import type { OverdueCommandsDto } from './overdue-commands.response.dto';

/**
 * Commands not acknowledged within their system's SLA, and rights requests not answered
 * within their month (art. 12(3)), at the ledger clock's now.
 */
export class OverdueCommandsQuery extends Query<OverdueCommandsDto> {
  constructor(readonly limit: number) {
    super();
  }
}

@QueryHandler(OverdueCommandsQuery)
export class OverdueCommandsHandler implements IQueryHandler<OverdueCommandsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_STORE) private readonly commands: SqliteCommandStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ limit }: OverdueCommandsQuery): Promise<OverdueCommandsDto> {
    await this.commands.catchUp(this.store);
    const now = this.clock.now().toISOString();
    const rows = this.commands.overdue(now, limit);
    const items = await Promise.all(
      rows.map(async (row) => ({
        commandId: row.commandId,
        system: row.system,
        action: row.action,
        subjectId: (await this.vault.subjectIdOf(row.subject)) ?? null,
        recordKey: row.recordKey,
        category: row.category,
        issuedAt: row.issuedAt!,
        dueBy: row.dueBy!,
        deadLettered: row.status === 'dead-lettered',
        tries: row.tries,
        lastError: row.lastError,
      })),
    );
    const late = this.commands.overdueRequests(this.clock.now(), limit);
    const requests = await Promise.all(
      late.map(async ({ subject, ...request }) => ({
        ...request,
        subjectId: (await this.vault.subjectIdOf(subject)) ?? null,
      })),
    );
    return { asOf: now, items, requests };
  }
}
