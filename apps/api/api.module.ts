import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { LedgerExceptionFilter } from './errors/ledger-exception.filter';
import { HealthController } from './health/health.controller';
import { PublishEventsController } from './publishing-events/publish-events.controller';
import { PublishEventsHandler } from './publishing-events/publish-events.handler';

/** HTTP only: controllers, guards, filters and the command handlers they call. */
@Module({
  controllers: [PublishEventsController, HealthController],
  providers: [
    PublishEventsHandler,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: LedgerExceptionFilter },
  ],
})
export class ApiModule {}
