import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { keepSecretFile } from '../../crypto/local-secret-file';
import { SigningKeyError } from './checkpoint.errors';
import { ed25519PrivateKeyFromSeed } from './ed25519-note-keys';
import { decodeStrictBase64 } from './strict-base64';

export const SIGNING_KEY_VARIABLE = 'LEDGER_AUDIT_SIGNING_KEY';
export const SIGNING_KEY_FILE = 'audit-signing.key';

const EXPECTED = 'a PKCS#8 PEM Ed25519 private key, or the base64 of a 32-byte Ed25519 seed';

export interface SigningKeyOptions {
  /** `LEDGER_AUDIT_SIGNING_KEY` as given. */
  readonly configured?: string;
  readonly dataDir: string;
  readonly localMode: boolean;
}

/**
 * The checkpoint signing key: from configuration, or in local mode generated once into the
 * data folder (mode 0600). Error messages never quote the configured text: it is a secret.
 */
export function loadSigningKey(options: SigningKeyOptions): KeyObject {
  const configured = options.configured?.trim();
  if (configured) return configuredKey(configured);
  if (!options.localMode) {
    throw new SigningKeyError(
      `${SIGNING_KEY_VARIABLE} is not set; set it to ${EXPECTED}, or start in local mode (--local) to generate one`,
    );
  }
  const kept = keepSecretFile(options.dataDir, SIGNING_KEY_FILE, generatePem);
  const file = join(options.dataDir, SIGNING_KEY_FILE);
  return pemKey(
    kept.value,
    `${file} (local mode's generated key; restore it, or delete it to generate another)`,
  );
}

function configuredKey(text: string): KeyObject {
  if (text.startsWith('-----BEGIN')) return pemKey(text, SIGNING_KEY_VARIABLE);
  const seed = decodeStrictBase64(text);
  if (seed === undefined) {
    throw new SigningKeyError(
      `${SIGNING_KEY_VARIABLE} is neither PEM nor base64; expected ${EXPECTED}`,
    );
  }
  if (seed.length !== 32) {
    throw new SigningKeyError(
      `${SIGNING_KEY_VARIABLE} decodes to ${seed.length} bytes, not the 32 of an Ed25519 seed; expected ${EXPECTED}`,
    );
  }
  return ed25519PrivateKeyFromSeed(seed);
}

function pemKey(pem: string, source: string): KeyObject {
  if (/^-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(pem)) {
    throw new SigningKeyError(`${source} holds a public key; the private key is needed`);
  }
  if (pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw new SigningKeyError(
      `${source} holds an encrypted key; give it unencrypted (${EXPECTED})`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // Node's message is dropped: it adds nothing useful and the PEM text is a secret.
    throw new SigningKeyError(`${source} is not a readable PEM private key; expected ${EXPECTED}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(
      `${source} holds a key of type ${key.asymmetricKeyType}; checkpoints are signed with Ed25519`,
    );
  }
  return key;
}

function generatePem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
}
