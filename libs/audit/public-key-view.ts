import type { AuditPublicKey } from './audit.tokens';
import { noteKeyId, verifierKeyString } from './checkpoint';

/** The checkpoint key as `GET /v1/audit/public-key` shows it (and certificates embed it). */
export interface PublicKeyView {
  readonly algorithm: 'Ed25519';
  /** base64 of the 32 raw bytes. */
  readonly publicKey: string;
  /** The signed-note verifier key, `name+hexid+base64`. */
  readonly verifierKey: string;
  readonly keyId: string;
  readonly name: string;
}

export function publicKeyView({ name, publicKey }: AuditPublicKey): PublicKeyView {
  return {
    algorithm: 'Ed25519',
    publicKey: publicKey.toString('base64'),
    verifierKey: verifierKeyString(name, publicKey),
    keyId: noteKeyId(name, publicKey).toString('hex'),
    name,
  };
}
