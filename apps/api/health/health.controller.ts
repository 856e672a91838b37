import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { Public } from '../auth/access.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness, and whether the event store answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok', store: 'reachable' } } })
  @ApiServiceUnavailableResponse({ description: 'the event store does not answer' })
  async health(): Promise<{ status: 'ok'; store: 'reachable' }> {
    try {
      await this.store.ping();
    } catch {
      throw new ServiceUnavailableException('the event store is not reachable');
    }
    return { status: 'ok', store: 'reachable' };
  }
}
