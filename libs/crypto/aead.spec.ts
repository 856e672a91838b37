import { randomBytes } from 'node:crypto';
import { open, seal } from './aead';
import { DecryptionError } from './crypto.errors';

const key = randomBytes(32);
const aad = Buffer.from('record:account');
const plaintext = Buffer.from('{"email":"jane.doe@example.com"}');

const flipped = (sealed: Buffer, at: number) => {
  const copy = Buffer.from(sealed);
  copy[at] ^= 0x01;
  return copy;
};

describe('AES-256-GCM seal/open', () => {
  it('round-trips, with the format version 1 || iv(12) || tag(16) || ciphertext', () => {
    const sealed = seal(key, plaintext, aad);
    expect(sealed[0]).toBe(1);
    expect(sealed).toHaveLength(1 + 12 + 16 + plaintext.length);
    expect(open(key, sealed, aad)).toEqual(plaintext);
  });

  it('round-trips an empty plaintext', () => {
    expect(open(key, seal(key, Buffer.alloc(0), aad), aad)).toEqual(Buffer.alloc(0));
  });

  it('uses a fresh IV for every seal', () => {
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['the version', 0],
    ['the iv', 1],
    ['the iv (last byte)', 12],
    ['the tag', 13],
    ['the tag (last byte)', 28],
    ['the ciphertext', 29],
    ['the ciphertext (last byte)', 29 + plaintext.length - 1],
  ])('detects a flipped bit in %s', (_, at) => {
    expect(() => open(key, flipped(seal(key, plaintext, aad), at), aad)).toThrow(DecryptionError);
  });

  it('rejects a wrong key, a wrong aad, a truncated or an empty input', () => {
    const sealed = seal(key, plaintext, aad);
    expect(() => open(randomBytes(32), sealed, aad)).toThrow(DecryptionError);
    expect(() => open(key, sealed, Buffer.from('record:invoice'))).toThrow(DecryptionError);
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), aad)).toThrow(DecryptionError);
    expect(() => open(key, sealed.subarray(0, 20), aad)).toThrow(DecryptionError);
    expect(() => open(key, Buffer.alloc(0), aad)).toThrow(DecryptionError);
  });

  it('says nothing of the key or the plaintext when it fails', () => {
    const sealed = seal(key, plaintext, aad);
    try {
      open(key, sealed, Buffer.from('other'));
      throw new Error('expected a DecryptionError');
    } catch (error) {
      const message = String((error as Error).message) + String((error as Error).stack);
      expect(error).toBeInstanceOf(DecryptionError);
      expect((error as DecryptionError).code).toBe('CRYPTO.DECRYPTION_FAILED');
      expect(message).not.toContain('jane.doe');
      expect(message).not.toContain(key.toString('hex'));
      expect(message).not.toContain(key.toString('base64'));
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal(randomBytes(16), plaintext, aad)).toThrow(RangeError);
    expect(() => open(randomBytes(31), seal(key, plaintext, aad), aad)).toThrow(RangeError);
  });
});

describe('IVs', () => {
  it('never repeat across many seals (each is drawn fresh from the pool)', () => {
    const key = Buffer.alloc(32, 9);
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++)
      ivs.add(seal(key, Buffer.from('x'), Buffer.alloc(0)).subarray(1, 13).toString('hex'));
    expect(ivs.size).toBe(10_000);
  });
});
