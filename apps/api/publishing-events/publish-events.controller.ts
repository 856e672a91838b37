import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { POLICY, type Policy } from '../../../libs/policy';
import { Allow } from '../auth/access.decorators';
import { InvalidRequestError } from '../errors/invalid-request.error';
import { EventEnvelopeDto, PublishBatchRequestDto } from './event-envelope.request.dto';
import { PublishEventsCommand, type PublishedEventOutcome } from './publish-events.command';
import {
  PublishedEventResponseDto,
  PublishedBatchResponseDto,
} from './publish-events.response.dto';
import { validatePublishBody } from './validate-publish-body';

export const MAX_BATCH_SIZE = 1000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(
  EventEnvelopeDto,
  PublishBatchRequestDto,
  PublishedEventResponseDto,
  PublishedBatchResponseDto,
)
@Controller('v1/events')
export class PublishEventsController {
  private readonly knownCategories: ReadonlySet<string>;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POLICY) policy: Policy,
  ) {
    this.knownCategories = new Set(Object.keys(policy.categories));
  }

  @Post()
  @Allow('publisher')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Publish one event, or a batch of up to 1000 (all or nothing)',
    description:
      'A replayed eventId with the same body answers as the first time, with "duplicate": true; ' +
      'the same eventId with another body is a 409. Nothing of a refused request is stored.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(EventEnvelopeDto) },
        { $ref: getSchemaPath(PublishBatchRequestDto) },
      ],
    },
  })
  @ApiCreatedResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(PublishedEventResponseDto) },
        { $ref: getSchemaPath(PublishedBatchResponseDto) },
      ],
    },
  })
  @ApiBadRequestResponse({ description: 'every problem of every event, one line each' })
  @ApiConflictResponse({ description: 'an eventId already stored with a different body' })
  @ApiPayloadTooLargeResponse({
    description: 'the body is over LEDGER_BODY_LIMIT_BYTES (10 MiB by default)',
  })
  async publish(@Body() body: unknown): Promise<PublishedEventOutcome | PublishedBatchResponseDto> {
    const validation = validatePublishBody(body, {
      now: this.clock.now(),
      knownCategories: this.knownCategories,
      maxBatchSize: MAX_BATCH_SIZE,
      maxClockSkewMs: MAX_CLOCK_SKEW_MS,
    });
    if (!validation.ok) throw new InvalidRequestError(validation.problems);

    const outcomes = await this.commandBus.execute(new PublishEventsCommand(validation.events));
    if (!validation.batch) return outcomes[0];
    return { events: outcomes, duplicate: outcomes.every((o) => o.duplicate) };
  }
}
