import { existsSync, readFileSync } from 'node:fs';
import { verifyCertificate } from '../../libs/audit/certificate/verify-certificate';
import type { CliIo } from '../cli';

export interface CertificateArgs {
  readonly file: string;
  /** A verifier key (`name+hexid+base64`), or a file holding one or `GET /v1/audit/public-key`'s JSON. */
  readonly verifierKey?: string;
}

/** `--certificate FILE [--verifier-key K]`; a string says what is wrong. */
export function parseCertificateArgs(args: readonly string[]): CertificateArgs | string {
  let file: string | undefined;
  let verifierKey: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    if (flag === '--certificate') file = value;
    else if (flag === '--verifier-key') verifierKey = value;
    else return `unknown option ${flag}`;
  }
  if (file === undefined) return '--certificate FILE is required';
  return { file, verifierKey };
}

/**
 * `ledger verify --certificate FILE [--verifier-key K]`: checks an erasure certificate
 * offline. Exit 0 when every check passes, 1 with every problem named otherwise.
 */
export function verifyCertificateCommand(args: CertificateArgs, io: CliIo): number {
  let certificate: unknown;
  let trusted: string | undefined;
  try {
    certificate = JSON.parse(readFileSync(args.file, 'utf8'));
    trusted = args.verifierKey === undefined ? undefined : readVerifierKey(args.verifierKey);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    io.err(`${args.file}: cannot be read (${code ?? message ?? String(error)})`);
    return 1;
  }
  const { ok, problems, summary } = verifyCertificate(certificate, trusted);
  if (!ok) {
    problems.forEach((problem) => io.out(`${args.file}: ${problem}`));
    io.out(`${args.file}: NOT VALID, ${problems.length} problem(s)`);
    return 1;
  }
  io.out(
    `${args.file}: ok: ${summary.type} ${summary.eventId} recorded ${summary.recordedAt} ` +
      `(category ${summary.category}, due ${summary.dueAt}), ${summary.evidence} evidence ` +
      `event(s), policy ${summary.policyVersion} sha256 ${summary.policySha256}, in ` +
      `${summary.origin} tree size ${summary.treeSize}`,
  );
  if (summary.signatureCheckedWith === 'embedded key') {
    io.out(
      `${args.file}: warning: the checkpoint was checked with the key inside the certificate; ` +
        'pass --verifier-key with the key the ledger publishes to trust it',
    );
  }
  return 0;
}

/** The key as given, or read from a file (a bare key, or the public-key route's JSON). */
function readVerifierKey(given: string): string {
  if (!existsSync(given)) return given;
  const text = readFileSync(given, 'utf8').trim();
  if (!text.startsWith('{')) return text;
  const { verifierKey } = JSON.parse(text) as { verifierKey?: unknown };
  return String(verifierKey);
}
