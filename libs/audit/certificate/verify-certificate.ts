import {
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  type Checkpoint,
  type NoteVerifier,
} from '../checkpoint';
import {
  checkEvidence,
  checkFact,
  checkLeaf,
  checkPolicy,
  factBecause,
  isObject,
  type Json,
} from './certificate-leaf-checks';
import { CERTIFICATE_FORMAT, CERTIFICATE_VERSION } from './erasure-certificate';

export interface CertificateSummary {
  readonly eventId?: string;
  readonly type?: string;
  readonly recordedAt?: string;
  readonly category?: string;
  readonly dueAt?: string;
  readonly policyVersion?: string;
  readonly policySha256?: string;
  readonly origin?: string;
  readonly treeSize?: string;
  readonly evidence: number;
  /**
   * Whose key the checkpoint's signature was checked with. `embedded` proves only that the
   * certificate agrees with itself: compare its key with the ledger's published one.
   */
  readonly signatureCheckedWith: 'trusted key' | 'embedded key' | 'none';
}

export interface CertificateVerdict {
  readonly ok: boolean;
  /** Every check that failed, one line each, prefixed with the part at fault. */
  readonly problems: string[];
  readonly summary: CertificateSummary;
}

/**
 * Checks an erasure certificate (`ErasureCertificate`) with nothing but RFC 9162, the
 * signed-note format and, ideally, the ledger's verifier key obtained some other way
 * (`trustedVerifierKey`, `name+hexid+base64`). Pure: no I/O, never throws on bad input;
 * every problem found is named, not only the first.
 */
export function verifyCertificate(
  certificate: unknown,
  trustedVerifierKey?: string,
): CertificateVerdict {
  const problems: string[] = [];
  const summary: { -readonly [K in keyof CertificateSummary]: CertificateSummary[K] } = {
    evidence: 0,
    signatureCheckedWith: 'none',
  };
  const done = () => ({ ok: problems.length === 0, problems, summary });

  if (!isObject(certificate)) {
    problems.push('certificate: not a JSON object');
    return done();
  }
  if (certificate.format !== CERTIFICATE_FORMAT || certificate.version !== CERTIFICATE_VERSION) {
    problems.push(
      `certificate: format ${JSON.stringify(certificate.format)} version ${JSON.stringify(certificate.version)} ` +
        `is not ${CERTIFICATE_FORMAT} version ${CERTIFICATE_VERSION}`,
    );
    return done();
  }
  const { erasure, policy } = certificate;
  const evidence = Array.isArray(certificate.evidence) ? certificate.evidence : [];
  if (!Array.isArray(certificate.evidence)) problems.push('evidence: not a list');

  const checkpoint = checkCheckpoint(certificate, trustedVerifierKey, problems, summary);
  const proven = (label: string, entry: unknown) => checkLeaf(label, entry, checkpoint, problems);
  const fact = proven('erasure', erasure);
  const evidenceLeaves = evidence.map((entry, i) =>
    proven(`evidence[${i}]${isObject(entry) ? ` (${String(entry.eventId)})` : ''}`, entry),
  );
  const policyLeaf = proven('policy', policy);
  summary.evidence = evidenceLeaves.length;

  if (isObject(erasure) && fact.event) checkFact(erasure, fact.event, problems, summary);
  const because = factBecause(fact.event);
  if (because) checkEvidence(because, fact, evidenceLeaves, problems);
  if (isObject(policy)) checkPolicy(policy, policyLeaf, fact, problems, summary);
  return done();
}

function checkCheckpoint(
  certificate: Json,
  trustedVerifierKey: string | undefined,
  problems: string[],
  summary: { signatureCheckedWith: CertificateSummary['signatureCheckedWith'] } & Partial<
    Record<'origin' | 'treeSize', string>
  >,
): Checkpoint | undefined {
  const claimed = isObject(certificate.checkpoint) ? certificate.checkpoint : {};
  const embedded = isObject(certificate.verifierKey)
    ? certificate.verifierKey.verifierKey
    : undefined;
  let verifier: NoteVerifier | undefined;
  try {
    if (trustedVerifierKey !== undefined) {
      verifier = parseVerifierKey(trustedVerifierKey);
      summary.signatureCheckedWith = 'trusted key';
    } else {
      verifier = parseVerifierKey(String(embedded));
      summary.signatureCheckedWith = 'embedded key';
    }
  } catch (error) {
    const whose = trustedVerifierKey !== undefined ? 'the trusted key' : "the certificate's key";
    problems.push(`checkpoint: ${whose} cannot be used: ${(error as Error).message}`);
  }
  if (typeof claimed.note !== 'string') {
    problems.push('checkpoint: no signed note');
    return undefined;
  }
  if (verifier) {
    try {
      openNote(claimed.note, [verifier]);
    } catch (error) {
      problems.push(`checkpoint: ${(error as Error).message}`);
    }
  }
  // The proofs are still checked against the note's root when its signature failed, so
  // that every problem is named; the signature's is already among them.
  let signed: Checkpoint;
  try {
    signed = parseCheckpoint(noteBody(claimed.note));
  } catch (error) {
    problems.push(`checkpoint: ${(error as Error).message}`);
    return undefined;
  }
  summary.origin = signed.origin;
  summary.treeSize = signed.treeSize.toString();
  const differs = (field: string, value: unknown, signedValue: string) => {
    if (value !== signedValue) {
      problems.push(
        `checkpoint: ${field} ${JSON.stringify(value)} is not the signed note's (${signedValue})`,
      );
    }
  };
  differs('origin', claimed.origin, signed.origin);
  differs('treeSize', claimed.treeSize, signed.treeSize.toString());
  differs('rootHash', claimed.rootHash, signed.rootHash.toString('base64'));
  return signed;
}

/** The note's text, its signatures left aside (`openNote` checks them). */
function noteBody(note: string): string {
  const split = note.lastIndexOf('\n\n');
  return split < 0 ? note : note.slice(0, split + 1);
}
