import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { NoteError } from './checkpoint.errors';
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  ed25519PrivateKeyFromSeed,
  noteKeyId,
  parseVerifierKey,
  rawPublicKey,
  verifierKeyString,
} from './ed25519-note-keys';
import { goNoteTest, goSumdbClientTest, seedOfGoSignerKey } from './testing/published-vectors';

const publicKeyOf = (verifierKey: string) =>
  Buffer.from(verifierKey.split('+').slice(2).join('+'), 'base64').subarray(1);

function keyFailure(text: string): NoteError {
  try {
    parseVerifierKey(text);
  } catch (error) {
    expect(error).toBeInstanceOf(NoteError);
    expect((error as NoteError).code).toBe('NOTE.BAD_KEY');
    return error as NoteError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('Ed25519 note keys', () => {
  describe('published vectors (golang/mod sumdb)', () => {
    const pairs: [string, string][] = [
      [goNoteTest.peterSignerKey, goNoteTest.peterVerifierKey],
      [goSumdbClientTest.signerKey, goSumdbClientTest.verifierKey],
    ];

    it.each(pairs)('derives the verifier key of %s', (signerKey, verifierKey) => {
      const { name, seed } = seedOfGoSignerKey(signerKey);
      const privateKey = ed25519PrivateKeyFromSeed(seed);
      expect(verifierKeyString(name, rawPublicKey(privateKey))).toBe(verifierKey);
      expect(ed25519NoteSigner(name, privateKey).keyId.toString('hex')).toBe(
        verifierKey.split('+')[1],
      );
    });

    it('computes the key ids of the published verifier keys', () => {
      for (const verifierKey of [
        goNoteTest.peterVerifierKey,
        goNoteTest.enochVerifierKey,
        goSumdbClientTest.verifierKey,
      ]) {
        const [name, hexId] = verifierKey.split('+');
        expect(noteKeyId(name, publicKeyOf(verifierKey)).toString('hex')).toBe(hexId);
        const verifier = parseVerifierKey(verifierKey);
        expect(verifier.name).toBe(name);
        expect(verifier.keyId.toString('hex')).toBe(hexId);
      }
    });

    it('rejects every truncation and every one-character change of a verifier key (TestNewVerifier)', () => {
      const key = goNoteTest.peterVerifierKey;
      for (let start = 0; start <= key.length; start++) {
        for (let end = start + 1; end <= key.length; end++) {
          if (start !== 0 || end !== key.length) keyFailure(key.slice(start, end));
        }
      }
      for (let i = 0; i < key.length; i++) {
        keyFailure(key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1));
      }
    });

    it('rejects a key of the wrong length and an unknown algorithm, even with matching ids', () => {
      const [wrongLength, unknownAlgorithm] = goNoteTest.badVerifierKeys;
      // Go decodes non-zero padding bits and then finds 39 bytes; the strict decoder stops earlier.
      expect(keyFailure(wrongLength).message).toMatch(/not canonical base64/);
      expect(keyFailure(unknownAlgorithm).message).toMatch(/signature type 0x65 is not Ed25519/);
    });
  });

  it('signs and verifies, and rejects a changed signature or message (TestGenerateKey)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signer = ed25519NoteSigner('EnochRoot', privateKey);
    const verifier = parseVerifierKey(verifierKeyString('EnochRoot', rawPublicKey(publicKey)));
    expect(verifier.keyId).toEqual(signer.keyId);
    const message = Buffer.from('hi');
    const signature = signer.sign(message);
    expect(verifier.verify(message, signature)).toBe(true);
    signature[0]++;
    expect(verifier.verify(message, signature)).toBe(false);
    signature[0]--;
    expect(verifier.verify(Buffer.from('hj'), signature)).toBe(false);
    expect(verifier.verify(message, signature.subarray(1))).toBe(false);
  });

  it('reads the raw public key from either half of the pair', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(rawPublicKey(privateKey)).toEqual(rawPublicKey(publicKey));
    expect(rawPublicKey(privateKey)).toHaveLength(32);
    expect(
      createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32),
    ).toEqual(rawPublicKey(privateKey));
  });

  it('explains what is wrong with a verifier key', () => {
    const peter = goNoteTest.peterVerifierKey;
    const [name, hexId, key] = [
      peter.split('+')[0],
      peter.split('+')[1],
      peter.split('+').slice(2).join('+'),
    ];
    expect(keyFailure(name).message).toMatch(/expected <name>\+<8 hex digit key id>\+<base64 key>/);
    expect(keyFailure(`${name}+c74f20a+${key}`).message).toMatch(
      /key id "c74f20a" is not 8 hex digits/,
    );
    expect(keyFailure(`${name}+c74f20a300+${key}`).message).toMatch(/is not 8 hex digits/);
    expect(keyFailure(`${name}+c74f20a4+${key}`).message).toMatch(
      /key id c74f20a4 does not match the name and key \(expected c74f20a3\)/,
    );
    expect(keyFailure(`Peter+${hexId}+${key}`).message).toMatch(/does not match/);
    expect(keyFailure(`${name}+${hexId}+${key.slice(1)}`).message).toMatch(/not canonical base64/);
    expect(keyFailure(`+${hexId}+${key}`).message).toMatch(/key name "" is empty/);
    const short = Buffer.concat([Buffer.from([1]), publicKeyOf(peter).subarray(1)]);
    expect(keyFailure(`${name}+${hexId}+${short.toString('base64')}`).message).toMatch(
      /an Ed25519 public key is 32 bytes, got 31/,
    );
    expect(parseVerifierKey(`${name}+${hexId.toUpperCase()}+${key}`).keyId.toString('hex')).toBe(
      hexId,
    );
  });

  it('refuses signing keys and names it cannot use', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(() => ed25519NoteSigner('a b', privateKey)).toThrow(/key name "a b"/);
    expect(() => ed25519NoteSigner('a+b', privateKey)).toThrow(/key name "a\+b"/);
    expect(() => ed25519NoteSigner('', privateKey)).toThrow(/key name "" is empty/);
    expect(() => ed25519NoteSigner('log', publicKey)).toThrow(/must be an Ed25519 private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => ed25519NoteSigner('log', rsa)).toThrow(/must be an Ed25519 private key/);
    expect(() => rawPublicKey(rsa)).toThrow(/expected an Ed25519 key, got rsa/);
    expect(() => ed25519NoteVerifier('log', Buffer.alloc(31))).toThrow(/32 bytes, got 31/);
    expect(() => ed25519PrivateKeyFromSeed(Buffer.alloc(31))).toThrow(/seed is 32 bytes, got 31/);
  });
});
