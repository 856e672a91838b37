import { Inject, NotFoundException } from '@nestjs/common';
import {
  Command,
  CommandHandler,
  Query,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { acknowledgeCommand } from '../../../libs/lifecycle/downstream/command-events';
import {
  systemById,
  type SystemsRegistry,
} from '../../../libs/lifecycle/downstream/downstream-systems';
import {
  COMMAND_STORE,
  SYSTEMS_REGISTRY,
} from '../../../libs/lifecycle/downstream/downstream.tokens';
import type { SqliteCommandStore } from '../../../libs/lifecycle/downstream/sqlite-command-store';
import { commandToSend } from '../../../libs/lifecycle/downstream/webhook-delivery';
import type {
  CommandAcknowledgedDto,
  SystemCommandDto,
  SystemCommandsDto,
} from './system-commands.response.dto';

export class PendingCommandsQuery extends Query<SystemCommandsDto> {
  constructor(
    readonly system: string,
    readonly limit: number,
  ) {
    super();
  }
}

export class AcknowledgeCommand extends Command<CommandAcknowledgedDto> {
  constructor(
    readonly system: string,
    readonly commandId: string,
  ) {
    super();
  }
}

/** The commands read model, caught up with the log first (read-your-writes). */
abstract class SystemCommandsHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(COMMAND_STORE) protected readonly commands: SqliteCommandStore,
    @Inject(SYSTEMS_REGISTRY) private readonly registry: SystemsRegistry,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(KEY_VAULT) protected readonly vault: KeyVault,
  ) {}

  protected async caughtUp(system: string): Promise<void> {
    if (!systemById(this.registry, system)) {
      throw new NotFoundException('system: LEDGER_SYSTEMS names no such system');
    }
    await this.commands.catchUp(this.store);
  }
}

@QueryHandler(PendingCommandsQuery)
export class PendingCommandsHandler
  extends SystemCommandsHandler
  implements IQueryHandler<PendingCommandsQuery>
{
  async execute({ system, limit }: PendingCommandsQuery): Promise<SystemCommandsDto> {
    await this.caughtUp(system);
    const rows = this.commands.unacknowledged(system, limit);
    const commands = await Promise.all(rows.map((row) => commandToSend(row, this.vault)));
    return { system, commands: commands as SystemCommandDto[] };
  }
}

@CommandHandler(AcknowledgeCommand)
export class AcknowledgeCommandHandler
  extends SystemCommandsHandler
  implements ICommandHandler<AcknowledgeCommand>
{
  async execute({ system, commandId }: AcknowledgeCommand): Promise<CommandAcknowledgedDto> {
    await this.caughtUp(system);
    const command = this.commands.command(commandId);
    // An owed command was never issued: the system cannot have been given it.
    if (!command || command.system !== system || command.status === 'owed') {
      throw new NotFoundException('commandId: no command with this id was issued to this system');
    }
    if (command.status === 'acknowledged' && command.acknowledgedAt) {
      return { commandId, acknowledgedAt: command.acknowledgedAt, duplicate: true };
    }
    const deps = { store: this.store, commands: this.commands, clock: this.clock };
    const { acknowledgedAt, duplicate } = await acknowledgeCommand(deps, command, 'pull');
    return { commandId, acknowledgedAt, duplicate };
  }
}
