import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  AuditProofs,
  TreeBehindError,
  type ConsistencyProofView,
  type InclusionProofView,
  type LeafView,
} from '../../../libs/audit/audit-proofs';
import {
  AUDIT_PUBLIC_KEY,
  AUDIT_TREE,
  type AuditPublicKey,
} from '../../../libs/audit/audit.tokens';
import { publicKeyView, type PublicKeyView } from '../../../libs/audit/public-key-view';
import { SignedCheckpoints, type SignedCheckpoint } from '../../../libs/audit/signed-checkpoints';
import { waitForTreeHead } from '../../../libs/audit/tree-progress';
import type { SqliteAuditTree } from '../../../libs/audit/tree-store/sqlite-audit-tree';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { Allow, AnyRole } from '../auth/access.decorators';
import {
  ConsistencyProofQueryDto,
  InclusionProofQueryDto,
  LeavesQueryDto,
} from './audit.request.dto';

/** How long a proof or a checkpoint waits for the tree to take what the log holds. */
const TREE_WAIT_MS = 5_000;

class NoCheckpointError extends Error {
  readonly code = 'AUDIT.NO_CHECKPOINT';
  constructor() {
    super('no checkpoint has been signed yet: the worker signs one as soon as events come in');
  }
}

export interface CheckpointView {
  readonly origin: string;
  readonly treeSize: string;
  readonly rootHash: string;
  readonly note: string;
  readonly keyId: string;
  readonly signedAt: string;
  readonly eventId: string;
}

function checkpointView(checkpoint: SignedCheckpoint): CheckpointView {
  return {
    origin: checkpoint.origin,
    treeSize: checkpoint.treeSize.toString(),
    rootHash: checkpoint.rootHash.toString('base64'),
    note: checkpoint.note,
    keyId: checkpoint.keyId,
    signedAt: checkpoint.signedAt,
    eventId: checkpoint.eventId,
  };
}

/**
 * What an auditor checks the log with: signed checkpoints, proofs, the leaves as stored.
 * Nothing here is personal data in clear: leaves are the stored bytes (pseudonyms and
 * ciphertext), hashes are hashes.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'no key, or an unknown key' })
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly proofs: AuditProofs,
    private readonly checkpoints: SignedCheckpoints,
    @Inject(AUDIT_TREE) private readonly tree: SqliteAuditTree,
    @Inject(AUDIT_PUBLIC_KEY) private readonly key: AuditPublicKey,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('checkpoint')
  @Allow('auditor')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)' })
  @ApiOkResponse({ description: '{ origin, treeSize, rootHash, note, keyId, signedAt, eventId }' })
  @ApiNotFoundResponse({ description: 'no checkpoint has been signed yet' })
  @ApiForbiddenResponse({ description: 'the key has neither the auditor nor the admin role' })
  async latestCheckpoint(): Promise<CheckpointView> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NoCheckpointError();
    return checkpointView(latest);
  }

  @Post('checkpoint')
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({
    summary: 'Sign the tree as it stands now (once it has every event of the log)',
    description:
      'Answers the last checkpoint when nothing came in since. Refuses (500) to sign a tree ' +
      'that is not consistent with a checkpoint signed before.',
  })
  @ApiCreatedResponse({ description: 'the checkpoint, as GET /v1/audit/checkpoint shows it' })
  @ApiForbiddenResponse({ description: 'the key has not the admin role' })
  @ApiServiceUnavailableResponse({ description: 'the tree is still catching up with the log' })
  async signCheckpoint(): Promise<CheckpointView> {
    if (!(await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS))) throw new TreeBehindError();
    return checkpointView(await this.checkpoints.signHead('admin'));
  }

  @Get('public-key')
  @AnyRole()
  @ApiOperation({
    summary: 'The Ed25519 key that signs checkpoints, raw and as a note verifier key',
  })
  @ApiOkResponse({ description: '{ algorithm, publicKey, verifierKey, keyId, name }' })
  publicKey(): PublicKeyView {
    return publicKeyView(this.key);
  }

  @Get('proof/inclusion')
  @Allow('auditor')
  @ApiOperation({ summary: "Inclusion proof of one event's leaf in the tree of a given size" })
  @ApiOkResponse({ description: '{ eventId, leafIndex, treeSize, leafHash, rootHash, hashes }' })
  @ApiBadRequestResponse({ description: 'eventId or treeSize is not valid, or out of range' })
  @ApiNotFoundResponse({ description: 'no stored event has this id' })
  @ApiForbiddenResponse({ description: 'the key has neither the auditor nor the admin role' })
  @ApiServiceUnavailableResponse({ description: 'the tree is still catching up with the log' })
  async inclusion(@Query() query: InclusionProofQueryDto): Promise<InclusionProofView> {
    // Read your writes: an event just published gets its proof, not a 503.
    await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS);
    const treeSize = query.treeSize === undefined ? undefined : BigInt(query.treeSize);
    return this.proofs.inclusion(query.eventId, treeSize);
  }

  @Get('proof/consistency')
  @Allow('auditor')
  @ApiOperation({ summary: 'Consistency proof between two tree sizes' })
  @ApiOkResponse({ description: '{ from, to, fromRoot, toRoot, hashes }' })
  @ApiBadRequestResponse({ description: 'from or to is not valid, or out of range' })
  @ApiForbiddenResponse({ description: 'the key has neither the auditor nor the admin role' })
  async consistency(@Query() query: ConsistencyProofQueryDto): Promise<ConsistencyProofView> {
    await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS);
    return this.proofs.consistency(BigInt(query.from), BigInt(query.to));
  }

  @Get('leaves')
  @Allow('auditor')
  @ApiOperation({ summary: 'Leaves start..end (exclusive, at most 1000), as stored' })
  @ApiOkResponse({ description: '{ leaves: [ { index, eventId, leaf } ] }, leaf in base64' })
  @ApiBadRequestResponse({ description: 'start or end is not valid, or out of range' })
  @ApiForbiddenResponse({ description: 'the key has neither the auditor nor the admin role' })
  async leaves(@Query() query: LeavesQueryDto): Promise<{ leaves: LeafView[] }> {
    await waitForTreeHead(this.store, this.tree, TREE_WAIT_MS);
    return { leaves: await this.proofs.leaves(BigInt(query.start), BigInt(query.end)) };
  }
}
