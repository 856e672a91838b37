import type { Clock } from '../../domain/clock';
import type { EventStore } from '../../event-store';
import { appendOnce, commandEvent } from './command-events';
import { issueCommand } from './downstream-commands';
import { systemById, type SystemsRegistry } from './downstream-systems';
import type { SqliteCommandStore } from './sqlite-command-store';

export interface IssuerDeps {
  readonly store: EventStore;
  readonly commands: SqliteCommandStore;
  readonly registry: SystemsRegistry;
  readonly clock: Clock;
}

const PAGE = 500;

/**
 * Writes `CommandIssued` for every fact of the saga whose command to a system is still
 * owed. Fed by the log (the command store's catch-up), not by the saga's steps: a process
 * killed between a fact and its commands finds them owed when it comes back. The event id
 * is the command id, so issuing one again stores nothing.
 */
export async function issueOwedCommands(deps: IssuerDeps): Promise<number> {
  const { store, commands, registry, clock } = deps;
  await commands.catchUp(store);
  let issued = 0;
  for (;;) {
    const owed = commands.owed(PAGE);
    if (owed.length === 0) return issued;
    const now = clock.now();
    for (const row of owed) {
      const system = systemById(registry, row.system)!;
      const data = issueCommand(
        {
          system: row.system,
          commandId: row.commandId,
          action: row.action,
          subject: row.subject,
          recordKey: row.recordKey,
          category: row.category,
          factEventId: row.factEventId,
        },
        now,
        system.acknowledgeWithinMs,
      );
      const event = commandEvent(row.commandId, 'CommandIssued', row.subject, data.issuedAt, data);
      if (await appendOnce(store, row.subject, event)) issued++;
      // The catch-up would say the same; marking it now ends this loop without waiting for it.
      commands.markIssued(data);
    }
  }
}
