import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { RETENTION_SCHEDULE_RUNNER, type ProjectionProgress } from '../../../libs/projections';
import { AUDIT_TREE } from '../../../libs/audit/audit.tokens';
import type { SqliteAuditTree } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { Public } from '../auth/access.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RETENTION_SCHEDULE_RUNNER) private readonly projection: ProjectionProgress,
    @Inject(AUDIT_TREE) private readonly auditTree: SqliteAuditTree,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness, and whether the event store answers' })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        store: 'reachable',
        projections: {
          'retention-schedule': { caughtUp: true, checkpoint: '42/42' },
          'audit-tree': { caughtUp: true, size: '42' },
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'the event store does not answer' })
  async health() {
    try {
      await this.store.ping();
    } catch {
      throw new ServiceUnavailableException('the event store is not reachable');
    }
    await this.projection.waitForHead(0); // refreshes what status() says, without waiting
    const { projection, caughtUp, checkpoint, failure } = this.projection.status();
    // A projection behind or failing is reported, not fatal: the log still takes events.
    return {
      status: 'ok' as const,
      store: 'reachable' as const,
      projections: {
        [projection]: { caughtUp, checkpoint, ...(failure ? { failing: true } : {}) },
        'audit-tree': await this.auditTreeStatus(),
      },
    };
  }

  private async auditTreeStatus() {
    const { size, position } = this.auditTree.head();
    const [next] = await this.store.readAll({ after: position, maxCount: 1 });
    return { caughtUp: next === undefined, size: size.toString() };
  }
}
