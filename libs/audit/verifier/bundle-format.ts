/**
 * The audit bundle `ledger audit export` writes and `ledger verify` reads: a folder an
 * auditor can keep and check offline, years later, with nothing but this code and Node.
 *
 *   bundle.json        { format, origin, exportedAt, source, leaves, checkpoints, ... }
 *   leaves.ndjson      one {"index","eventId","leaf"} per line, index in decimal, leaf base64
 *   checkpoints.ndjson one {"leafIndex","eventId","signedAt","note"} per line, oldest first
 *   public-key.json    GET /v1/audit/public-key as the ledger answered it
 */
export const BUNDLE_FORMAT = 'ledger-audit-bundle/1';

export const BUNDLE_FILES = {
  manifest: 'bundle.json',
  leaves: 'leaves.ndjson',
  checkpoints: 'checkpoints.ndjson',
  publicKey: 'public-key.json',
} as const;

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly origin: string;
  readonly exportedAt: string;
  /** Where it was exported from (the ledger's URL), for the auditor's records. */
  readonly source: string;
  /** The number of leaves: the size of the latest signed checkpoint when exported. */
  readonly leaves: string;
  readonly checkpoints: number;
}

/** One leaf, as GET /v1/audit/leaves answers it. */
export interface LeafLine {
  readonly index: string;
  readonly eventId: string;
  /** base64 of the stored event bytes. */
  readonly leaf: string;
}

export interface CheckpointLine {
  /** Where the checkpoint's own CheckpointSigned event is in the log; null when past the bundle. */
  readonly leafIndex: string | null;
  readonly eventId: string;
  readonly signedAt: string;
  /** The C2SP signed note: the only part the verifier trusts, once its signature checks. */
  readonly note: string;
}

export interface PublicKeyFile {
  readonly algorithm: string;
  readonly publicKey: string;
  readonly verifierKey: string;
  readonly keyId: string;
  readonly name: string;
}

export function formatLeafLine(line: LeafLine): string {
  return `{"index":${JSON.stringify(line.index)},"eventId":${JSON.stringify(line.eventId)},"leaf":${JSON.stringify(line.leaf)}}\n`;
}

export function formatCheckpointLine(line: CheckpointLine): string {
  const { leafIndex, eventId, signedAt, note } = line;
  return `${JSON.stringify({ leafIndex, eventId, signedAt, note })}\n`;
}

/**
 * One line of leaves.ndjson, any JSON spelling. The verifier reads the exporter's own
 * spelling by hand (leaf-line.ts) and comes here for every other one.
 */
export function parseLeafLine(text: string): LeafLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not a JSON line';
  }
  const { index, eventId, leaf } = (value ?? {}) as Record<string, unknown>;
  if (typeof index !== 'string' || typeof eventId !== 'string' || typeof leaf !== 'string') {
    return 'expected {"index","eventId","leaf"} with string values';
  }
  return { index, eventId, leaf };
}

export function parseCheckpointLine(text: string): CheckpointLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not a JSON line';
  }
  const { leafIndex, eventId, signedAt, note } = (value ?? {}) as Record<string, unknown>;
  if (
    (leafIndex !== null && typeof leafIndex !== 'string') ||
    typeof eventId !== 'string' ||
    typeof signedAt !== 'string' ||
    typeof note !== 'string'
  ) {
    return 'expected {"leafIndex","eventId","signedAt","note"}';
  }
  return { leafIndex, eventId, signedAt, note };
}
