import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKeyError } from './checkpoint.errors';
import { rawPublicKey } from './ed25519-note-keys';
import { loadSigningKey, SIGNING_KEY_FILE } from './signing-key';
import { goNoteTest, seedOfGoSignerKey } from './testing/published-vectors';

const freshDir = () => mkdtempSync(join(tmpdir(), 'audit-signing-key-'));

function loadFailure(
  configured: string | undefined,
  localMode = false,
  dataDir = freshDir(),
): SigningKeyError {
  try {
    loadSigningKey({ configured, dataDir, localMode });
  } catch (error) {
    expect(error).toBeInstanceOf(SigningKeyError);
    return error as SigningKeyError;
  }
  throw new Error('the key loaded');
}

/** No 8-character run of the secret may appear in the message. */
function expectNoKeyMaterial(message: string, secret: string): void {
  const compact = secret.replace(/-----[A-Z ]+-----|\s/g, '');
  for (let i = 0; i + 8 <= compact.length; i++) {
    expect(message).not.toContain(compact.slice(i, i + 8));
  }
}

describe('the checkpoint signing key', () => {
  it('is read from a configured PKCS#8 PEM text', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const key = loadSigningKey({ configured: pem, dataDir: freshDir(), localMode: true });
    expect(rawPublicKey(key)).toEqual(rawPublicKey(privateKey));
  });

  it('is read from the configured base64 of its 32-byte seed (the Go note test key)', () => {
    const { seed } = seedOfGoSignerKey(goNoteTest.peterSignerKey);
    const key = loadSigningKey({
      configured: seed.toString('base64'),
      dataDir: freshDir(),
      localMode: false,
    });
    const peterPublic = Buffer.from(goNoteTest.peterVerifierKey.split('+')[2], 'base64').subarray(
      1,
    );
    expect(rawPublicKey(key)).toEqual(peterPublic);
  });

  it('without configuration outside local mode, says which variable to set', () => {
    for (const configured of [undefined, '', '  \n']) {
      const error = loadFailure(configured);
      expect(error.message).toMatch(/^LEDGER_AUDIT_SIGNING_KEY is not set; set it to a PKCS#8 PEM/);
      expect(error.code).toBe('CHECKPOINT.SIGNING_KEY');
    }
  });

  describe('in local mode without configuration', () => {
    it('is generated once into the data folder, mode 0600, and reused', () => {
      const dataDir = join(freshDir(), 'data');
      const first = loadSigningKey({ dataDir, localMode: true });
      const file = join(dataDir, SIGNING_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(
        /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/,
      );
      expect(first.asymmetricKeyType).toBe('ed25519');

      const second = loadSigningKey({ dataDir, localMode: true });
      expect(rawPublicKey(second)).toEqual(rawPublicKey(first));
    });

    it('gives way to a configured key', () => {
      const dataDir = freshDir();
      loadSigningKey({ dataDir, localMode: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      expect(rawPublicKey(loadSigningKey({ configured: pem, dataDir, localMode: true }))).toEqual(
        rawPublicKey(privateKey),
      );
    });

    it('names the file when it holds no usable key', () => {
      const dataDir = freshDir();
      writeFileSync(join(dataDir, SIGNING_KEY_FILE), 'not a key\n', { mode: 0o600 });
      expect(loadFailure(undefined, true, dataDir).message).toMatch(
        new RegExp(`${SIGNING_KEY_FILE} .*is not a readable PEM private key`),
      );
    });
  });

  describe('a configured value it cannot use is refused without quoting it', () => {
    const ed = generateKeyPairSync('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const edPem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const cases: [string, string, RegExp][] = [
      ['random text', 'correct horse battery staple', /is neither PEM nor base64/],
      ['base64 of 16 bytes', 'q83vEjRWeJCrze8SNFZ4kA==', /decodes to 16 bytes, not the 32/],
      [
        'base64 of a 64-byte private key',
        Buffer.alloc(64, 9).toString('base64'),
        /decodes to 64 bytes/,
      ],
      [
        'unpadded base64',
        Buffer.alloc(32, 9).toString('base64').replace(/=+$/, ''),
        /neither PEM nor base64/,
      ],
      [
        'a public key',
        ed.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        /holds a public key/,
      ],
      [
        'an RSA key',
        rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        /holds a key of type rsa; .*Ed25519/,
      ],
      [
        'a damaged PEM',
        edPem.replace(/[A-Za-z]{4}\n/, 'zzzz\n').slice(0, 60) + edPem.slice(80),
        /not a readable PEM private key/,
      ],
      [
        'an encrypted key',
        ed.privateKey
          .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' })
          .toString(),
        /holds an encrypted key/,
      ],
    ];
    it.each(cases)('%s', (_case, configured, reason) => {
      const error = loadFailure(configured, true);
      expect(error.message).toMatch(/^LEDGER_AUDIT_SIGNING_KEY /);
      expect(error.message).toMatch(reason);
      expectNoKeyMaterial(error.message, configured);
    });
  });
});
