/**
 * An erasure certificate: everything an auditor needs to check, offline and with nothing but
 * the ledger's public key and RFC 9162, that a record was erased (or archived) when and why
 * the ledger says. JSON; this is a published format: fields are added, never renamed, and a
 * changed meaning gets a new `version`.
 *
 * Every leaf is the event exactly as the log stores it (base64), and every inclusion proof is
 * in the tree of the checkpoint's size, so all of them lead to the one signed root.
 *
 * Nothing in a certificate is clear personal data: the leaves hold the subject's pseudonym
 * (never the platform's subject id) and personal values only sealed (AES-256-GCM) under the
 * record's data key, which an erasure destroys; the other fields are ids, dates, categories,
 * purposes, hashes and the policy text.
 */
export const CERTIFICATE_FORMAT = 'ledger-erasure-certificate';
export const CERTIFICATE_VERSION = 1;

export const CERTIFIED_FACT_TYPES = ['RecordErased', 'RecordArchived'] as const;
export type CertifiedFactType = (typeof CERTIFIED_FACT_TYPES)[number];

/** One stored event and its inclusion proof in the tree of the checkpoint's size. */
export interface ProvenLeaf {
  readonly eventId: string;
  /** Decimal: an index may pass 2^53. */
  readonly leafIndex: string;
  /** base64 of the stored bytes: the leaf is exactly these. */
  readonly leaf: string;
  /** The RFC 9162 inclusion proof (base64 hashes), leaf to root. */
  readonly hashes: readonly string[];
}

/** What the ledger says happened: each field is checked against the decoded erasure leaf. */
export interface CertifiedFact extends ProvenLeaf {
  readonly type: CertifiedFactType;
  readonly recordedAt: string;
  /**
   * Shown to the compliance role only: a record key may carry the platform's id of an item
   * (`invoice:INV-7`). It is in the leaf as stored, never a clear personal value.
   */
  readonly recordKey?: string;
  readonly category: string;
  readonly policyVersion: string;
  readonly purposes: readonly string[];
  readonly dueAt: string;
  /** The events whose clocks fixed the deadline (`evidence` holds each of them). */
  readonly because: readonly string[];
}

export interface CertifiedPolicy extends ProvenLeaf {
  readonly version: string;
  /** SHA-256 (hex) of the policy file the ledger applied; the leaf holds its text. */
  readonly sha256: string;
}

export interface CertificateCheckpoint {
  readonly origin: string;
  readonly treeSize: string;
  /** base64 of the 32-byte root. */
  readonly rootHash: string;
  /** The C2SP signed note (tlog-checkpoint body): the only part that is signed. */
  readonly note: string;
}

/** As `GET /v1/audit/public-key` shows it: a convenience, not a trust anchor. */
export interface CertificateVerifierKey {
  readonly algorithm: 'Ed25519';
  readonly publicKey: string;
  readonly verifierKey: string;
  readonly keyId: string;
  readonly name: string;
}

export interface ErasureCertificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly version: typeof CERTIFICATE_VERSION;
  readonly issuedAt: string;
  readonly erasure: CertifiedFact;
  /** One entry per `because` id, in that order. */
  readonly evidence: readonly ProvenLeaf[];
  readonly policy: CertifiedPolicy;
  readonly checkpoint: CertificateCheckpoint;
  readonly verifierKey: CertificateVerifierKey;
}
