import type { Clock } from '../domain/clock';
import {
  AUDIT_STREAM,
  CHECKPOINT_SIGNED,
  checkpointEventId,
  type CheckpointSignedData,
  type CheckpointTrigger,
} from '../domain/audit/checkpoint-signed';
import {
  decodeLedgerEvent,
  encodeLedgerEvent,
  type LedgerEventV1,
} from '../domain/events/ledger-event';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  formatPosition,
  type EventStore,
} from '../event-store';
import { formatCheckpoint, signNote, type NoteSigner } from './checkpoint';
import { consistencyProof, rootAt, verifyConsistency } from './merkle';
import type { SqliteAuditTree } from './tree-store/sqlite-audit-tree';

/** A checkpoint the ledger signed, as its `CheckpointSigned` event records it. */
export interface SignedCheckpoint {
  readonly origin: string;
  readonly treeSize: bigint;
  readonly rootHash: Buffer;
  readonly note: string;
  readonly keyId: string;
  readonly trigger: CheckpointTrigger;
  readonly signedAt: string;
  /** The `CheckpointSigned` event's id and place in the log. */
  readonly eventId: string;
  readonly position: string;
}

/** The tree the ledger would sign disagrees with a head it signed before: never sign a fork. */
export class InconsistentCheckpointError extends Error {
  readonly code = 'AUDIT.INCONSISTENT_CHECKPOINT';
}

export interface SignedCheckpointsDeps {
  readonly store: EventStore;
  readonly tree: SqliteAuditTree;
  readonly signer: NoteSigner;
  readonly origin: string;
  readonly clock: Clock;
}

const RACE_RETRIES = 3;

/**
 * Signs the audit tree's head as a C2SP checkpoint and records it in the log. Every new head
 * is first proven consistent with the last one signed (an RFC 9162 consistency proof from
 * the stored tree, verified against the root that was signed), so the ledger refuses to
 * vouch for a history that is not an extension of what it vouched for before.
 */
export class SignedCheckpoints {
  constructor(private readonly deps: SignedCheckpointsDeps) {}

  /** Every checkpoint signed, oldest first. */
  async all(): Promise<SignedCheckpoint[]> {
    const events = await this.deps.store.readStream(AUDIT_STREAM);
    return events.filter((e) => e.type === CHECKPOINT_SIGNED).map(toSignedCheckpoint);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    return this.at(await this.deps.store.streamRevision(AUDIT_STREAM));
  }

  /** The checkpoint recorded at this revision of the audit stream. */
  private async at(revision: bigint | undefined): Promise<SignedCheckpoint | undefined> {
    if (revision === undefined) return undefined;
    const [event] = await this.deps.store.readStream(AUDIT_STREAM, {
      fromRevision: revision,
      maxCount: 1,
    });
    return event && toSignedCheckpoint(event);
  }

  /**
   * Signs the tree as it stands now, unless the last checkpoint already covers everything
   * but checkpoints (then that one is the answer: a checkpoint is itself a leaf, and signing
   * it again and again would say nothing new). Throws `InconsistentCheckpointError` rather
   * than sign a fork.
   */
  async signHead(trigger: CheckpointTrigger): Promise<SignedCheckpoint> {
    for (let attempt = 0; ; attempt++) {
      const revision = await this.deps.store.streamRevision(AUDIT_STREAM);
      const last = await this.at(revision);
      const size = this.deps.tree.size();
      if (last && (await this.nothingNewSince(last, size))) return last;
      const root = rootAt(this.deps.tree, size);
      if (last) this.checkConsistent(last, size, root);
      try {
        return await this.append(size, root, trigger, revision);
      } catch (error) {
        // Another thread signed meanwhile: look again (its head may cover ours).
        const raced = error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
        if (!raced || attempt >= RACE_RETRIES) throw error;
      }
    }
  }

  private async nothingNewSince(last: SignedCheckpoint, size: bigint): Promise<boolean> {
    if (last.treeSize >= size) return true;
    // Checkpoints come one per signature: more than a few new leaves are something else.
    if (size - last.treeSize > 4n) return false;
    const { store, tree } = this.deps;
    const after = last.treeSize === 0n ? undefined : tree.positionOfLeaf(last.treeSize - 1n);
    const events = await store.readAll({ after, maxCount: Number(size - last.treeSize) });
    return events.every((event) => event.type === CHECKPOINT_SIGNED);
  }

  private checkConsistent(last: SignedCheckpoint, size: bigint, root: Buffer): void {
    const proof = consistencyProof(this.deps.tree, last.treeSize, size);
    if (!verifyConsistency(last.treeSize, size, proof, last.rootHash, root)) {
      throw new InconsistentCheckpointError(
        `refusing to sign tree size ${size}: it is not consistent with the checkpoint of size ` +
          `${last.treeSize} signed at ${last.signedAt} (event ${last.eventId})`,
      );
    }
  }

  private async append(
    size: bigint,
    root: Buffer,
    trigger: CheckpointTrigger,
    revision: bigint | undefined,
  ): Promise<SignedCheckpoint> {
    const { origin, signer, clock, store } = this.deps;
    const rootHash = root.toString('base64');
    const note = signNote(formatCheckpoint({ origin, treeSize: size, rootHash: root }), signer);
    const now = clock.now().toISOString();
    const data: CheckpointSignedData = {
      origin,
      treeSize: size.toString(),
      rootHash,
      note,
      keyId: signer.keyId.toString('hex'),
      trigger,
    };
    const event: LedgerEventV1 = {
      v: 1,
      eventId: checkpointEventId(origin, size, rootHash),
      type: CHECKPOINT_SIGNED,
      occurredAt: now,
      recordedAt: now,
      source: 'ledger',
      data: { ...data },
    };
    const result = await store.appendToStream({
      streamName: AUDIT_STREAM,
      expectedRevision: revision ?? 'no_stream',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
    return {
      origin,
      treeSize: size,
      rootHash: root,
      note,
      keyId: data.keyId,
      trigger,
      signedAt: now,
      eventId: event.eventId,
      position: formatPosition(result.positions[0]!),
    };
  }
}

function toSignedCheckpoint(recorded: {
  eventId: string;
  data: Uint8Array;
  position: { commit: bigint; prepare: bigint };
}): SignedCheckpoint {
  const event = decodeLedgerEvent(recorded.data);
  const data = event.data as unknown as CheckpointSignedData;
  return {
    origin: data.origin,
    treeSize: BigInt(data.treeSize),
    rootHash: Buffer.from(data.rootHash, 'base64'),
    note: data.note,
    keyId: data.keyId,
    trigger: data.trigger,
    signedAt: event.recordedAt,
    eventId: recorded.eventId,
    position: formatPosition(recorded.position),
  };
}
