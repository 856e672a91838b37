import { hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidMasterKeyError } from './crypto.errors';

const MASTER_KEY_BYTES = 32;
// A fixed salt names the application; the `info` labels below separate the purposes, so that
// no derived key is ever used for two jobs.
const HKDF_SALT = Buffer.from('personal-data-ledger/master-key', 'utf8');
const INFO = {
  keyEncryption: 'ledger/v1/key-encryption-key',
  subjectIndex: 'ledger/v1/subject-index-key',
  subjectSeal: 'ledger/v1/subject-seal-key',
} as const;

/**
 * The configured secret from which every vault key is derived. Opaque on purpose: its bytes
 * are private and it prints as `[MasterKey]` (console, JSON, pino), so a stray log of a
 * config object cannot leak it.
 */
export class MasterKey {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length !== MASTER_KEY_BYTES) {
      throw new InvalidMasterKeyError(
        `it must be exactly ${MASTER_KEY_BYTES} bytes, got ${bytes.length}`,
      );
    }
    this.#bytes = Buffer.from(bytes);
  }

  /** HKDF-SHA256, 32 bytes, for one purpose named by `info`. */
  derive(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#bytes, HKDF_SALT, info, 32));
  }

  toString(): string {
    return '[MasterKey]';
  }
  toJSON(): string {
    return '[MasterKey]';
  }
  [inspect.custom](): string {
    return '[MasterKey]';
  }
}

/** Strict base64 of exactly 32 bytes; the error says what is wrong, never what was given. */
export function parseMasterKey(base64: string): MasterKey {
  const text = typeof base64 === 'string' ? base64.trim() : '';
  if (text === '')
    throw new InvalidMasterKeyError('it is missing (expected base64 of 32 random bytes)');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new InvalidMasterKeyError('it is not valid base64');
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(
      `it must decode to exactly ${MASTER_KEY_BYTES} bytes, got ${bytes.length}`,
    );
  }
  // Node ignores non-zero padding bits; two spellings of one key would be a trap.
  if (bytes.toString('base64') !== text)
    throw new InvalidMasterKeyError('it is not canonical base64');
  return new MasterKey(bytes);
}

export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/** Wraps (seals) the data keys held in the vault. */
export function keyEncryptionKey(master: MasterKey): Buffer {
  return master.derive(INFO.keyEncryption);
}

/** Keys the HMAC ("blind index") under which a subject's pseudonym is found. */
export function subjectIndexKey(master: MasterKey): Buffer {
  return master.derive(INFO.subjectIndex);
}

/** Seals the platform subject id kept beside its pseudonym (never stored in clear). */
export function subjectSealKey(master: MasterKey): Buffer {
  return master.derive(INFO.subjectSeal);
}
