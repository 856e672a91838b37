import { createHash } from 'node:crypto';

const LABEL = 'personal-data-ledger/data-key-fingerprint/v1';

/**
 * SHA-256( label || 0x00 || keyId (utf8) || 0x00 || key ), hex. The label keeps this hash
 * from ever matching another use of SHA-256 over the same bytes; key ids are UUIDs (no NUL),
 * so the separators are unambiguous. A 256-bit random key cannot be guessed from its hash.
 */
export function keyFingerprint(keyId: string, key: Buffer): string {
  return createHash('sha256')
    .update(LABEL, 'utf8')
    .update(Buffer.of(0))
    .update(keyId, 'utf8')
    .update(Buffer.of(0))
    .update(key)
    .digest('hex');
}
