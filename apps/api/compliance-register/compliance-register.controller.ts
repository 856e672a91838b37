import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  processingRegister,
  type ProcessingRegister,
} from '../../../libs/compliance/register/processing-register';
import { registerMarkdown } from '../../../libs/compliance/register/register-markdown';
import { PolicyBook } from '../../../libs/lifecycle/policy-book';
import { POLICY, type Policy } from '../../../libs/policy';
import { Allow } from '../auth/access.decorators';
import { RegisterQueryDto } from './register.request.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('v1/compliance')
export class ComplianceRegisterController {
  constructor(
    @Inject(POLICY) private readonly configured: Policy,
    private readonly book: PolicyBook,
  ) {}

  @Get('register')
  @Allow('compliance')
  @ApiOperation({
    summary: 'The record of processing activities (GDPR art. 30), from the policy in force',
    description:
      'One activity per purpose: legal bases, categories, recipients, retention (the active ' +
      'rule per subject role, then archive, renew or erase), and where the data is stored and ' +
      'transferred. JSON by default; Markdown with Accept: text/markdown or ?format=markdown.',
  })
  @ApiProduces('application/json', 'text/markdown')
  @ApiOkResponse({ description: 'the register' })
  @ApiBadRequestResponse({ description: 'format is neither json nor markdown' })
  @ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
  @ApiForbiddenResponse({ description: 'the key has neither the compliance nor the admin role' })
  async register(
    @Query() { format }: RegisterQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProcessingRegister | string> {
    // The version in force as the log recorded it; the configured file until the worker
    // has published it (the first seconds of a fresh ledger).
    const register = processingRegister((await this.book.inForce()) ?? this.configured);
    const markdown = format === 'markdown' || (format === undefined && wantsMarkdown(accept));
    if (!markdown) return register;
    void reply.header('content-type', 'text/markdown; charset=utf-8');
    return registerMarkdown(register);
  }
}

function wantsMarkdown(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/markdown\b/i.test(accept);
}
