import { CheckpointFormatError } from './checkpoint.errors';
import { decodeStrictBase64 } from './strict-base64';

/** A log's tree head as C2SP tlog-checkpoint text names it: the body of a signed note. */
export interface Checkpoint {
  /** The log's identity, e.g. `ledger.example.com/audit`. */
  readonly origin: string;
  readonly treeSize: bigint;
  /** RFC 9162 (SHA-256) Merkle tree hash of the first `treeSize` leaves. */
  readonly rootHash: Buffer;
  /** Opaque optional lines after the root hash (the spec discourages them). */
  readonly extensions?: readonly string[];
}

const ROOT_HASH_BYTES = 32;
// RFC 9162's tree_size is a uint64.
const MAX_TREE_SIZE = 2n ** 64n - 1n;
// The signed-note format forbids every ASCII control character but the newline that ends a line.
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** `origin\n<size>\n<base64 root>\n`, then one line per extension. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, extensions = [] } = checkpoint;
  checkTextLine(1, 'origin', origin);
  if (treeSize < 0n || treeSize > MAX_TREE_SIZE) {
    throw new CheckpointFormatError(2, `tree size ${treeSize} is not a uint64`);
  }
  if (rootHash.length !== ROOT_HASH_BYTES) {
    throw new CheckpointFormatError(
      3,
      `root hash must be ${ROOT_HASH_BYTES} bytes, got ${rootHash.length}`,
    );
  }
  extensions.forEach((extension, index) => checkTextLine(4 + index, 'extension line', extension));
  const lines = [origin, treeSize.toString(10), rootHash.toString('base64'), ...extensions];
  return `${lines.join('\n')}\n`;
}

export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) {
    throw new CheckpointFormatError(undefined, 'the text must end with a newline');
  }
  const [origin, size, root, ...extensions] = body.slice(0, -1).split('\n');
  checkTextLine(1, 'origin', origin);
  if (size === undefined) throw new CheckpointFormatError(2, 'the tree size line is missing');
  if (root === undefined) throw new CheckpointFormatError(3, 'the root hash line is missing');
  extensions.forEach((extension, index) => checkTextLine(4 + index, 'extension line', extension));
  return {
    origin,
    treeSize: parseTreeSize(size),
    rootHash: parseRootHash(root),
    ...(extensions.length > 0 ? { extensions } : {}),
  };
}

function parseTreeSize(line: string): bigint {
  // Decimal without leading zeroes: one spelling per size, as the spec requires.
  if (!/^(0|[1-9][0-9]*)$/.test(line)) {
    throw new CheckpointFormatError(
      2,
      `tree size must be a decimal number without leading zeroes, got "${line}"`,
    );
  }
  const size = BigInt(line);
  if (size > MAX_TREE_SIZE) throw new CheckpointFormatError(2, `tree size ${line} is not a uint64`);
  return size;
}

function parseRootHash(line: string): Buffer {
  const hash = decodeStrictBase64(line);
  if (hash === undefined) throw new CheckpointFormatError(3, 'root hash is not canonical base64');
  if (hash.length !== ROOT_HASH_BYTES) {
    throw new CheckpointFormatError(
      3,
      `root hash must be ${ROOT_HASH_BYTES} bytes, got ${hash.length}`,
    );
  }
  return hash;
}

function checkTextLine(line: number, what: string, text: string): void {
  if (text === '') throw new CheckpointFormatError(line, `${what} is empty`);
  if (text.includes('\n')) throw new CheckpointFormatError(line, `${what} contains a newline`);
  if (CONTROL_CHARACTER.test(text)) {
    throw new CheckpointFormatError(line, `${what} contains a control character`);
  }
}
