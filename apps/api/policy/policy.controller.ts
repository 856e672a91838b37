import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
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
    return {
      inForce: policyView(this.policy),
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
