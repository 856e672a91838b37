import type { Clock } from '../../domain/clock';
import { decodeLedgerEvent } from '../../domain/events/ledger-event';
import type { RecordErasedData } from '../../domain/events/ledger-written-events';
import {
  POLICY_STREAM,
  POLICY_VERSION_PUBLISHED,
  type PolicyVersionPublishedData,
} from '../../domain/policy-versions/policy-version-published';
import type { EventStore, RecordedEvent } from '../../event-store';
import { TreeBehindError, UnknownEventError } from '../audit-proofs';
import type { AuditPublicKey } from '../audit.tokens';
import { inclusionProof, leafHash, rootAt } from '../merkle';
import { publicKeyView } from '../public-key-view';
import {
  InconsistentCheckpointError,
  type SignedCheckpoint,
  type SignedCheckpoints,
} from '../signed-checkpoints';
import type { LifecycleFactRow, SqliteAuditTree } from '../tree-store/sqlite-audit-tree';
import {
  CERTIFICATE_FORMAT,
  CERTIFICATE_VERSION,
  CERTIFIED_FACT_TYPES,
  type CertifiedFactType,
  type ErasureCertificate,
  type ProvenLeaf,
} from './erasure-certificate';

/** The event exists but is no erasure or archiving: there is nothing to certify. */
export class NotAnErasureError extends Error {
  readonly code = 'CERTIFICATE.NOT_AN_ERASURE';
  constructor(type: string) {
    super(
      `eventId: the event is a ${type}, not an erasure or an archiving (${CERTIFIED_FACT_TYPES.join(', ')})`,
    );
  }
}

/** A fact names evidence the log does not hold: the log is damaged; ids only, never data. */
export class MissingEvidenceError extends Error {
  readonly code = 'CERTIFICATE.EVIDENCE_MISSING';
}

/** One erasure or archiving as `GET /v1/compliance/erasures` lists it. */
export interface ErasureListItem {
  readonly eventId: string;
  readonly type: CertifiedFactType;
  readonly recordedAt: string;
  readonly recordKey?: string;
  readonly category: string;
  readonly policyVersion: string;
  readonly purposes: readonly string[];
  readonly dueAt: string;
  /** The events whose clocks fixed the deadline. */
  readonly because: readonly string[];
  readonly leafIndex: string;
  readonly inclusion: {
    readonly treeSize: string;
    readonly leafHash: string;
    readonly hashes: string[];
    readonly rootHash: string;
  };
  readonly checkpoint: { readonly treeSize: string; readonly note: string };
}

export interface ErasurePage {
  readonly items: readonly ErasureListItem[];
  /** null on the last page. */
  readonly nextCursor: string | null;
}

export interface CertificateOptions {
  /** Only for roles allowed to see what a record key may carry (see `CertifiedFact`). */
  readonly withRecordKey: boolean;
}

export interface ErasureCertificatesDeps {
  readonly store: EventStore;
  readonly tree: SqliteAuditTree;
  readonly checkpoints: SignedCheckpoints;
  readonly publicKey: AuditPublicKey;
  readonly clock: Clock;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Proofs of the erasures and archivings the ledger executed, against a signed checkpoint:
 * the latest one when it covers them, else one signed on demand (trigger `certificate`).
 */
export class ErasureCertificates {
  constructor(private readonly deps: ErasureCertificatesDeps) {}

  /** The listed facts (from `tree.lifecycleFacts`), each with its proof, in one tree size. */
  async prove(
    rows: readonly LifecycleFactRow[],
    options: CertificateOptions,
  ): Promise<ErasureListItem[]> {
    if (rows.length === 0) return [];
    const stored = await this.deps.store.findByEventIds(rows.map((row) => row.eventId));
    const last = rows.reduce((max, row) => (row.leafIndex > max ? row.leafIndex : max), 0n);
    const checkpoint = await this.coveringCheckpoint(last + 1n);
    const treeSize = checkpoint.treeSize.toString();
    const rootHash = b64(checkpoint.rootHash);
    return rows.map((row): ErasureListItem => {
      const event = stored.get(row.eventId);
      if (!event) throw new MissingEvidenceError(`the log holds no event ${row.eventId}`);
      return {
        ...this.factFields(event, options),
        leafIndex: row.leafIndex.toString(),
        inclusion: {
          treeSize,
          leafHash: b64(leafHash(event.data)),
          hashes: inclusionProof(this.deps.tree, row.leafIndex, checkpoint.treeSize).map(b64),
          rootHash,
        },
        checkpoint: { treeSize, note: checkpoint.note },
      };
    });
  }

  /** The self-contained certificate of one erasure or archiving (`ErasureCertificate`). */
  async certificate(eventId: string, options: CertificateOptions): Promise<ErasureCertificate> {
    const fact = (await this.deps.store.findByEventIds([eventId])).get(eventId);
    if (!fact) throw new UnknownEventError();
    if (!isCertified(fact.type)) throw new NotAnErasureError(fact.type);
    const fields = this.factFields(fact, options);
    const factIndex = this.leafIndexOf(fact);
    const evidence = await this.evidence(fields.because);
    const policy = await this.policyBefore(fields.policyVersion, factIndex);
    const leaves = [fact, ...evidence, policy.event];
    const last = leaves.reduce((max, e) => {
      const index = this.leafIndexOf(e);
      return index > max ? index : max;
    }, 0n);
    const checkpoint = await this.coveringCheckpoint(last + 1n);
    const prove = (event: RecordedEvent) => this.provenLeaf(event, checkpoint.treeSize);
    return {
      format: CERTIFICATE_FORMAT,
      version: CERTIFICATE_VERSION,
      issuedAt: this.deps.clock.now().toISOString(),
      erasure: { ...fields, ...prove(fact) },
      evidence: evidence.map(prove),
      policy: { version: policy.data.version, sha256: policy.data.sha256, ...prove(policy.event) },
      checkpoint: {
        origin: checkpoint.origin,
        treeSize: checkpoint.treeSize.toString(),
        rootHash: b64(checkpoint.rootHash),
        note: checkpoint.note,
      },
      verifierKey: publicKeyView(this.deps.publicKey),
    };
  }

  /**
   * The fact's own fields, from its stored event. No `subject`: the pseudonym helps no one
   * reading a list of erasures, and it stays in the leaf, where the proof needs it.
   */
  private factFields(event: RecordedEvent, { withRecordKey }: CertificateOptions) {
    const decoded = decodeLedgerEvent(event.data);
    const data = decoded.data as unknown as RecordErasedData;
    return {
      eventId: event.eventId,
      type: event.type as CertifiedFactType,
      recordedAt: decoded.recordedAt,
      ...(withRecordKey ? { recordKey: data.recordKey } : {}),
      category: data.category,
      policyVersion: data.policyVersion,
      purposes: data.purposes,
      dueAt: data.dueAt,
      because: data.because,
    };
  }

  private async evidence(because: readonly string[]): Promise<RecordedEvent[]> {
    const found = await this.deps.store.findByEventIds(because);
    return because.map((id) => {
      const event = found.get(id);
      if (!event) throw new MissingEvidenceError(`the log holds no evidence event ${id}`);
      return event;
    });
  }

  /**
   * The `PolicyVersionPublished` of the version applied: the last one of that version before
   * the fact (a version's text is published once per SHA-256; should a file have been edited
   * under the same version name, the one the saga could have read is the latest before).
   */
  private async policyBefore(version: string, factIndex: bigint) {
    const events = await this.deps.store.readStream(POLICY_STREAM);
    let found: { event: RecordedEvent; data: PolicyVersionPublishedData } | undefined;
    for (const event of events) {
      if (event.type !== POLICY_VERSION_PUBLISHED) continue;
      const data = decodeLedgerEvent(event.data).data as unknown as PolicyVersionPublishedData;
      const index = this.deps.tree.leafIndexAt(event.position);
      if (data.version === version && index !== undefined && index < factIndex) {
        found = { event, data };
      }
    }
    if (!found) {
      throw new MissingEvidenceError(
        `the log holds no PolicyVersionPublished of version ${version} before the fact`,
      );
    }
    return found;
  }

  private provenLeaf(event: RecordedEvent, treeSize: bigint): ProvenLeaf {
    const leafIndex = this.leafIndexOf(event);
    return {
      eventId: event.eventId,
      leafIndex: leafIndex.toString(),
      leaf: b64(event.data),
      hashes: inclusionProof(this.deps.tree, leafIndex, treeSize).map(b64),
    };
  }

  private leafIndexOf(event: RecordedEvent): bigint {
    const index = this.deps.tree.leafIndexAt(event.position);
    if (index === undefined) throw new TreeBehindError();
    return index;
  }

  /** The latest checkpoint if it has `size` leaves or more, else a new one. */
  private async coveringCheckpoint(size: bigint): Promise<SignedCheckpoint> {
    const latest = await this.deps.checkpoints.latest();
    const checkpoint =
      latest && latest.treeSize >= size
        ? latest
        : await this.deps.checkpoints.signHead('certificate');
    const { tree } = this.deps;
    if (checkpoint.treeSize < size || tree.size() < checkpoint.treeSize) {
      throw new TreeBehindError();
    }
    // Proofs are read from this tree: it must be the tree that was signed.
    if (!rootAt(tree, checkpoint.treeSize).equals(checkpoint.rootHash)) {
      throw new InconsistentCheckpointError(
        `the audit tree of size ${checkpoint.treeSize} does not have the root signed in ` +
          `checkpoint ${checkpoint.eventId}`,
      );
    }
    return checkpoint;
  }
}

function isCertified(type: string): type is CertifiedFactType {
  return (CERTIFIED_FACT_TYPES as readonly string[]).includes(type);
}
