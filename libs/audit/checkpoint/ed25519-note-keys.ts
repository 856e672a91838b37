import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { NoteError } from './checkpoint.errors';
import { isValidKeyName, keyLabel, type NoteSigner, type NoteVerifier } from './signed-note';
import { decodeStrictBase64 } from './strict-base64';

/** The signed-note signature type byte of Ed25519. */
const ED25519 = 0x01;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
// RFC 8410 PKCS#8 wrapping of a 32-byte Ed25519 seed: Node imports seeds no other way.
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** SHA-256(name || "\n" || 0x01 || public key)[:4], as the signed-note spec recommends. */
export function noteKeyId(name: string, publicKey: Buffer): Buffer {
  checkPublicKey(publicKey);
  const hash = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest();
  return hash.subarray(0, 4);
}

export function ed25519NoteSigner(name: string, privateKey: KeyObject): NoteSigner {
  checkName(name);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new NoteError('NOTE.BAD_KEY', 'the note signing key must be an Ed25519 private key');
  }
  const keyId = noteKeyId(name, rawPublicKey(privateKey));
  return { name, keyId, sign: (message) => sign(null, message, privateKey) };
}

export function ed25519NoteVerifier(name: string, publicKey: Buffer): NoteVerifier {
  checkName(name);
  const keyId = noteKeyId(name, publicKey);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return {
    name,
    keyId,
    verify: (message, signature) =>
      signature.length === SIGNATURE_BYTES && verify(null, message, key, signature),
  };
}

/** The signed-note verifier key, `name+hexid+base64(0x01 || public key)`, to give auditors. */
export function verifierKeyString(name: string, publicKey: Buffer): string {
  checkName(name);
  const encoded = Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64');
  return `${keyLabel(name, noteKeyId(name, publicKey))}+${encoded}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
  const bad = (reason: string) => new NoteError('NOTE.BAD_KEY', `verifier key: ${reason}`);
  const firstPlus = text.indexOf('+');
  const secondPlus = text.indexOf('+', firstPlus + 1);
  if (firstPlus < 0 || secondPlus < 0) {
    throw bad('expected <name>+<8 hex digit key id>+<base64 key>');
  }
  const name = text.slice(0, firstPlus);
  const hexId = text.slice(firstPlus + 1, secondPlus);
  if (!isValidKeyName(name)) throw bad(`key name "${name}" is empty or has a space or '+'`);
  if (!/^[0-9a-fA-F]{8}$/.test(hexId)) throw bad(`key id "${hexId}" is not 8 hex digits`);
  const key = decodeStrictBase64(text.slice(secondPlus + 1));
  if (key === undefined || key.length === 0) throw bad('the key is not canonical base64');
  if (key[0] !== ED25519) {
    throw bad(`signature type 0x${key[0].toString(16).padStart(2, '0')} is not Ed25519 (0x01)`);
  }
  const publicKey = key.subarray(1);
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw bad(`an Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`);
  }
  const expected = noteKeyId(name, publicKey).toString('hex');
  if (hexId.toLowerCase() !== expected) {
    throw bad(`key id ${hexId} does not match the name and key (expected ${expected})`);
  }
  return ed25519NoteVerifier(name, publicKey);
}

/** The 32 raw bytes of an Ed25519 public key, given the public or the private key. */
export function rawPublicKey(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new NoteError(
      'NOTE.BAD_KEY',
      `expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`,
    );
  }
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
}

/** The Ed25519 private key of a 32-byte seed (RFC 8032's private key). */
export function ed25519PrivateKeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) {
    throw new NoteError('NOTE.BAD_KEY', `an Ed25519 seed is 32 bytes, got ${seed.length}`);
  }
  return createPrivateKey({
    key: Buffer.concat([PKCS8_SEED_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new NoteError('NOTE.BAD_KEY', `key name "${name}" is empty or has a space or '+'`);
  }
}

function checkPublicKey(publicKey: Buffer): void {
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new NoteError(
      'NOTE.BAD_KEY',
      `an Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`,
    );
  }
}
