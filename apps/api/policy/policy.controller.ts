import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PolicyBook } from '../../../libs/lifecycle/policy-book';
import { readPolicyVersions } from '../../../libs/lifecycle/policy-versions';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { POLICY, type Policy } from '../../../libs/policy';
import { READ_STORE, type ReadStore } from '../../../libs/projections';
import { AnyRole } from '../auth/access.decorators';
import { policyView } from './policy-view';

@ApiTags('policy')
@ApiBearerAuth()
@Controller('v1/policy')
export class PolicyController {
  constructor(
    @Inject(POLICY) private readonly configured: Policy,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly book: PolicyBook,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'The policy in force and the versions the ledger has run' })
  @ApiOkResponse({
    schema: {
      example: {
        inForce: {
          version: '2023-01-24',
          effectiveFrom: '2023-01-24T00:00:00Z',
          sha256: '…',
          purposes: [],
        },
        versions: [
          {
            version: '2023-01-24',
            effectiveFrom: '2023-01-24T00:00:00Z',
            sha256: '…',
            publishedAt: '…',
          },
        ],
      },
    },
  })
  async policyInForce() {
    const versions = await readPolicyVersions(this.store);
    // Counts only: this route is open to every role, auditors included.
    const lastChange = (await this.readStore.policyChange('retention-schedule')) ?? null;
    // The version in force now, as the log recorded it; the configured file until the
    // worker has published it (the first seconds of a fresh ledger).
    const inForce = (await this.book.inForce()) ?? this.configured;
    return {
      inForce: policyView(inForce),
      versions: versions.map(({ version, effectiveFrom, sha256, eventId, publishedAt }) => ({
        version,
        effectiveFrom,
        sha256,
        eventId,
        publishedAt,
      })),
      lastChange,
    };
  }
}
