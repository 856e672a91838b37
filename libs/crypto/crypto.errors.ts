/**
 * Errors of envelope encryption and the key vault: a stable `code` for the HTTP layer and
 * messages that never carry a secret, a plaintext or a subject id (decision 3).
 */
export abstract class CryptoError extends Error {
  abstract readonly code: string;
}

/** Tampered ciphertext, wrong key or wrong associated data: GCM cannot tell them apart. */
export class DecryptionError extends CryptoError {
  readonly code = 'CRYPTO.DECRYPTION_FAILED';
  constructor(reason = 'the data was altered, or the key or associated data is wrong') {
    super(`decryption failed: ${reason}`);
    this.name = 'DecryptionError';
  }
}

export class InvalidMasterKeyError extends CryptoError {
  readonly code = 'CRYPTO.INVALID_MASTER_KEY';
  constructor(reason: string) {
    super(`invalid master key: ${reason}`);
    this.name = 'InvalidMasterKeyError';
  }
}

/** The vault was created under another master key: refusing beats minting keys under two. */
export class WrongMasterKeyError extends CryptoError {
  readonly code = 'KEY_VAULT.WRONG_MASTER_KEY';
  constructor() {
    super('the master key does not match the one this key vault was created with');
    this.name = 'WrongMasterKeyError';
  }
}

/** Key ids are random and carry no personal data, so naming one is safe. */
export class KeyNotFoundError extends CryptoError {
  readonly code = 'KEY_VAULT.KEY_NOT_FOUND';
  constructor(readonly keyId: string) {
    super(`no data key with id ${keyId}`);
    this.name = 'KeyNotFoundError';
  }
}

/**
 * The deletion committed but another connection kept the WAL from being truncated, so an
 * old (wrapped) copy may still sit in it. Retrying the destruction is safe: it is idempotent
 * and checkpoints again.
 */
export class WalNotTruncatedError extends CryptoError {
  readonly code = 'KEY_VAULT.WAL_NOT_TRUNCATED';
  constructor() {
    super('the key vault WAL could not be truncated (busy reader); retry the destruction');
    this.name = 'WalNotTruncatedError';
  }
}

export function isCryptoError(error: unknown): error is CryptoError {
  return error instanceof CryptoError;
}
