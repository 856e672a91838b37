import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AUDIT_TREE } from '../../../libs/audit/audit.tokens';
import type { ErasureCertificate } from '../../../libs/audit/certificate/erasure-certificate';
import {
  ErasureCertificates,
  type CertificateOptions,
  type ErasurePage,
} from '../../../libs/audit/certificate/erasure-certificates';
import { waitForTreeHead } from '../../../libs/audit/tree-progress';
import type { SqliteAuditTree } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { Allow } from '../auth/access.decorators';
import type { Role } from '../auth/roles';
import { InvalidRequestError } from '../errors/invalid-request.error';
import { ActingRoles } from '../subjects/acting-roles.decorator';
import { decodeErasureCursor, encodeErasureCursor } from './erasure-cursor';
import { ErasureParamsDto, ErasuresQueryDto } from './erasures.request.dto';
import { ErasurePageDto } from './erasures.response.dto';

/** How long an answer waits for the audit tree to take what the log holds. */
const TREE_WAIT_MS = 5_000;

/**
 * A record key is the platform's name of one item (`invoice:INV-7`, `review:R-12`): not a
 * personal value, and stored in clear in the fact's leaf, but the id in it points at one
 * person in the platform's own database. Compliance (who sees personal data anyway) gets
 * it to match an erasure with its records; an auditor checks that erasures were done on
 * time and by the policy, which the category, purposes and dates say without it.
 */
function certificateOptions(roles: readonly Role[]): CertificateOptions {
  return { withRecordKey: roles.includes('compliance') || roles.includes('admin') };
}

/**
 * Stored instants are toISOString's (milliseconds): compare like with like. A finer bound is
 * rounded up, which keeps both meanings: `>= 10.0001` and `< 10.0001` are `>= 10.001` and
 * `< 10.001` for instants in whole milliseconds.
 */
function storedInstant(instant: string): string {
  const finer = /\.\d{3}(\d+)Z$/.exec(instant)?.[1] ?? '';
  const roundUp = /[1-9]/.test(finer) ? 1 : 0;
  return new Date(Date.parse(instant) + roundUp).toISOString();
}

@ApiTags('compliance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
@ApiForbiddenResponse({ description: 'the key has none of the compliance, auditor, admin roles' })
@Controller('v1/compliance/erasures')
export class ComplianceErasuresController {
  constructor(
    private readonly certificates: ErasureCertificates,
    @Inject(AUDIT_TREE) private readonly tree: SqliteAuditTree,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Allow('compliance', 'auditor')
  @ApiOperation({
    summary: 'Erasures and archivings executed, oldest first, each with its inclusion proof',
    description:
      'Each proof is against the latest signed checkpoint (one is signed on demand when none ' +
      'covers them yet). No personal data and no platform subject id; the record key is shown ' +
      'to compliance only. Pass the nextCursor of a page as cursor to get the next one.',
  })
  @ApiOkResponse({ type: ErasurePageDto })
  @ApiBadRequestResponse({ description: 'from, to, limit or cursor is not valid' })
  @ApiServiceUnavailableResponse({ description: 'the audit tree is still catching up' })
  async list(
    @Query() { from, to, limit, cursor }: ErasuresQueryDto,
    @ActingRoles() roles: Role[],
  ): Promise<ErasurePage> {
    const after = cursor === undefined ? undefined : decodeErasureCursor(cursor);
    const fromAt = from === undefined ? undefined : storedInstant(from);
    const toAt = to === undefined ? undefined : storedInstant(to);
    if (fromAt !== undefined && toAt !== undefined && fromAt > toAt) {
      throw new InvalidRequestError([`to: must not be before from (${from})`]);
    }
    await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS);
    // One row more than asked says whether another page follows.
    const rows = this.tree.lifecycleFacts({ from: fromAt, to: toAt, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      items: await this.certificates.prove(page, certificateOptions(roles)),
      nextCursor: rows.length > limit ? encodeErasureCursor(page.at(-1)!) : null,
    };
  }

  @Get(':eventId')
  @Allow('compliance', 'auditor')
  @ApiOperation({
    summary: 'The self-contained certificate of one erasure or archiving',
    description:
      'Format `ledger-erasure-certificate` version 1 (README, "Erasure certificates"): the ' +
      "fact's leaf and inclusion proof, the evidence events that fixed its deadline and the " +
      'policy version applied, each with its leaf and proof, the signed checkpoint they lead ' +
      'to, and the verifier key. Check it offline: `ledger verify --certificate FILE`.',
  })
  @ApiOkResponse({ description: 'the certificate (JSON)' })
  @ApiBadRequestResponse({ description: 'eventId is not a UUID' })
  @ApiNotFoundResponse({ description: 'no stored event has this id, or it is no erasure' })
  @ApiServiceUnavailableResponse({ description: 'the audit tree is still catching up' })
  async certificate(
    @Param() { eventId }: ErasureParamsDto,
    @ActingRoles() roles: Role[],
  ): Promise<ErasureCertificate> {
    await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS);
    return this.certificates.certificate(eventId, certificateOptions(roles));
  }
}
