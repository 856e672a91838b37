import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { assertActsFor, CallerOf, type Caller } from './caller.decorator';
import { AcknowledgeCommand, PendingCommandsQuery } from './system-commands.handlers';
import { CommandParamsDto, PageQueryDto, SystemParamsDto } from './system-commands.request.dto';
import { CommandAcknowledgedDto, SystemCommandsDto } from './system-commands.response.dto';

const FORBIDDEN = "the key is neither this system's (system:<id>) nor an admin key";

/**
 * The pull side of the downstream systems: a system fetches what it must do and says when
 * it has. Keys: `system:<id>=<key>` in LEDGER_API_KEYS act for that system only.
 */
@ApiTags('systems')
@ApiBearerAuth()
@Controller('v1/systems')
export class SystemsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get(':system/commands')
  @Allow('system')
  @ApiOperation({
    summary: "A downstream system's commands not acknowledged yet, oldest first",
    description:
      'Commands are sent again until acknowledged: receivers dedupe by commandId. Dead-lettered ' +
      'webhook commands are listed too, so that they can be acknowledged here.',
  })
  @ApiOkResponse({ type: SystemCommandsDto })
  @ApiBadRequestResponse({ description: 'system or limit is not valid' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'LEDGER_SYSTEMS names no such system' })
  commands(
    @CallerOf() caller: Caller,
    @Param() { system }: SystemParamsDto,
    @Query() { limit }: PageQueryDto,
  ): Promise<SystemCommandsDto> {
    assertActsFor(caller, system);
    return this.queryBus.execute(new PendingCommandsQuery(system, limit));
  }

  @Post(':system/commands/:commandId/ack')
  @HttpCode(200)
  @Allow('system')
  @ApiOperation({
    summary: 'The system has carried the command out: records CommandAcknowledged',
    description: 'Acknowledging again answers as the first time, with duplicate: true.',
  })
  @ApiOkResponse({ type: CommandAcknowledgedDto })
  @ApiBadRequestResponse({ description: 'system or commandId is not valid' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'no such system, or no such command issued to it' })
  acknowledge(
    @CallerOf() caller: Caller,
    @Param() { system, commandId }: CommandParamsDto,
  ): Promise<CommandAcknowledgedDto> {
    assertActsFor(caller, system);
    return this.commandBus.execute(new AcknowledgeCommand(system, commandId));
  }
}
