import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidMasterKeyError } from './crypto.errors';
import {
  generateMasterKey,
  keyEncryptionKey,
  MasterKey,
  parseMasterKey,
  subjectIndexKey,
  subjectSealKey,
} from './master-key';

describe('parseMasterKey', () => {
  it('accepts the base64 of 32 bytes, surrounding whitespace included', () => {
    const text = generateMasterKey();
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    expect(parseMasterKey(`  ${text}\n`)).toBeInstanceOf(MasterKey);
  });

  it.each([
    ['empty', '', /missing/],
    ['blank', '   ', /missing/],
    ['not base64', 'not a key at all!', /not valid base64/],
    ['too short', randomBytes(16).toString('base64'), /exactly 32 bytes, got 16/],
    ['too long', randomBytes(33).toString('base64'), /exactly 32 bytes, got 33/],
    ['base64url', randomBytes(32).toString('base64url'), /not valid base64/],
  ])('rejects a key that is %s, without printing it', (_, text, reason) => {
    let error: unknown;
    try {
      parseMasterKey(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidMasterKeyError);
    expect((error as Error).message).toMatch(reason);
    if (text.trim() !== '') expect((error as Error).message).not.toContain(text);
  });

  it('rejects a non-canonical spelling (non-zero padding bits)', () => {
    const text = generateMasterKey(); // 44 chars ending with one '='; the char before holds 2 padding bits
    const last = text[42];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sloppy = text.slice(0, 42) + alphabet[alphabet.indexOf(last) ^ 1] + '=';
    expect(() => parseMasterKey(sloppy)).toThrow(/canonical/);
  });
});

describe('MasterKey', () => {
  const master = parseMasterKey(generateMasterKey());

  it('never prints its bytes', () => {
    const bytes = randomBytes(32);
    const key = new MasterKey(bytes);
    for (const shown of [inspect(key), JSON.stringify({ key }), String(key), `${key}`]) {
      expect(shown).toContain('[MasterKey]');
      expect(shown).not.toContain(bytes.toString('base64'));
      expect(shown).not.toContain(bytes.toString('hex'));
    }
  });

  it('derives distinct, deterministic 32-byte keys per purpose', () => {
    const derived = [keyEncryptionKey(master), subjectIndexKey(master), subjectSealKey(master)];
    for (const key of derived) expect(key).toHaveLength(32);
    expect(new Set(derived.map((k) => k.toString('hex'))).size).toBe(3);
    expect(keyEncryptionKey(master)).toEqual(derived[0]);
    expect(keyEncryptionKey(parseMasterKey(generateMasterKey()))).not.toEqual(derived[0]);
  });
});
