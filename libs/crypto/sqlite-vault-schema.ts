import type { SqliteDatabase } from '../sqlite/open-database';
import { open, seal } from './aead';
import { DecryptionError, WrongMasterKeyError } from './crypto.errors';

const SCHEMA_VERSION = 1;

/*
 * What the vault file holds, and what it never holds:
 * - data_keys: a key only WRAPPED under the key-encryption key (AAD = key_id, so a wrapped
 *   key cannot be moved to another id); ids are random UUIDs; owner is a pseudonym.
 * - destroyed_keys: the tombstone of a destroyed key (id + fingerprint), so that destroying
 *   again answers the same fingerprint.
 * - subjects: found by HMAC(subject-index key, subject id); the subject id only sealed
 *   (AAD = pseudonym). The clear subject id is nowhere in the file.
 * - subjects_leaving: a subject whose last record is erased, while downstream systems
 *   still have to be told its platform id: the sealed id by pseudonym only (no blind
 *   index: the platform id no longer finds the pseudonym). Added beside schema 1 (a table
 *   older code never reads).
 * - vault_meta: a check value sealed under the key-encryption key, so that a wrong master
 *   key fails at open instead of minting new keys beside unreadable old ones.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS data_keys (
  key_id     TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  record_key TEXT NOT NULL,
  category   TEXT NOT NULL,
  wrapped    BLOB NOT NULL,
  UNIQUE (owner, record_key, category)
);
CREATE TABLE IF NOT EXISTS destroyed_keys (
  key_id      TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subjects (
  blind_index       BLOB PRIMARY KEY,
  pseudonym         TEXT NOT NULL UNIQUE,
  sealed_subject_id BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS subjects_leaving (
  pseudonym         TEXT PRIMARY KEY,
  sealed_subject_id BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS vault_meta (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
`;

const KEY_CHECK = 'master-key-check';
const KEY_CHECK_PLAINTEXT = Buffer.from('personal-data-ledger key vault', 'utf8');

/** Creates the tables and checks the master key, in one immediate transaction. */
export function prepareVault(db: SqliteDatabase, keyEncryptionKey: Buffer): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `key vault schema ${version} is newer than this code understands (${SCHEMA_VERSION})`,
      );
    }
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    verifyMasterKey(db, keyEncryptionKey);
  }).immediate();
}

function verifyMasterKey(db: SqliteDatabase, keyEncryptionKey: Buffer): void {
  const aad = Buffer.from(KEY_CHECK, 'utf8');
  const row = db
    .prepare<[string], { value: Buffer }>('SELECT value FROM vault_meta WHERE name = ?')
    .get(KEY_CHECK);
  if (row === undefined) {
    db.prepare('INSERT INTO vault_meta (name, value) VALUES (?, ?)').run(
      KEY_CHECK,
      seal(keyEncryptionKey, KEY_CHECK_PLAINTEXT, aad),
    );
    return;
  }
  try {
    open(keyEncryptionKey, row.value, aad);
  } catch (error) {
    if (error instanceof DecryptionError) throw new WrongMasterKeyError();
    throw error;
  }
}
