import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from './aead';
import { DecryptionError, WrongMasterKeyError } from './crypto.errors';
import { generateMasterKey, keyEncryptionKey, parseMasterKey } from './master-key';
import { openSqliteKeyVault, type SqliteKeyVault } from './sqlite-key-vault';
import { aRef, testKeyVault } from './testing/key-vault.contract';

const masterKey = parseMasterKey(generateMasterKey());

testKeyVault('SQLite in memory', async () => {
  const vault = openSqliteKeyVault(':memory:', masterKey);
  return { vault, dispose: () => vault.close() };
});

// A one-entry cache sends nearly every call to SQLite: the miss paths meet the contract too.
testKeyVault('SQLite in memory, one-entry caches', async () => {
  const vault = openSqliteKeyVault(':memory:', masterKey, { cacheEntries: 1 });
  return { vault, dispose: () => vault.close() };
});

describe('SqliteKeyVault on disk', () => {
  let dir: string;
  let file: string;
  let vault: SqliteKeyVault | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'key-vault-'));
    file = join(dir, 'vault.db');
  });
  afterEach(async () => {
    await vault?.close();
    vault = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Everything SQLite wrote: the database and, when present, its WAL. */
  const fileBytes = () =>
    Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  const contains = (needle: Buffer) => fileBytes().includes(needle);
  /** Reads a column straight from the file, as an attacker holding a copy could. */
  const readRaw = <T>(sql: string, ...params: unknown[]) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).get(...params) as T;
    } finally {
      db.close();
    }
  };

  it('never serves from its caches a key or a link another connection destroyed', async () => {
    // The API thread and the worker thread's saga each have their own connection.
    vault = openSqliteKeyVault(file, masterKey);
    const saga = openSqliteKeyVault(file, masterKey);
    try {
      const ref = aRef();
      const [key] = await vault.dataKeysFor([ref]);
      const pseudonym = await vault.pseudonymOf('user-42', { create: true });
      expect(await vault.dataKey(key.keyId)).toEqual(key.key);

      await saga.destroyDataKey(key.keyId);
      await saga.forgetSubject(pseudonym!);

      expect(await vault.dataKey(key.keyId)).toBeUndefined();
      const [again] = await vault.dataKeysFor([ref]);
      expect(again.keyId).not.toBe(key.keyId);
      expect(await vault.pseudonymOf('user-42', { create: false })).toBeUndefined();
      expect(await vault.subjectIdOf(pseudonym!)).toBeUndefined();
    } finally {
      await saga.close();
    }
  });

  it('truncates the WAL once for destructions committed together, and each is gone', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const keys = await vault.dataKeysFor([aRef(), aRef(), aRef()]);
    const destroyed = await Promise.all(keys.map((k) => vault!.destroyDataKey(k.keyId)));
    expect(destroyed.map((d) => d.keyId)).toEqual(keys.map((k) => k.keyId));
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
  });

  it('leaves no copy of the keys or links of records erased together, in the file or its WAL', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const owners = await vault.pseudonymsOf(['user-1', 'user-2', 'user-3']);
    const keys = await vault.dataKeysFor(owners.map((owner) => aRef({ owner })));
    const wrapped = keys.map(
      (k) =>
        readRaw<{ wrapped: Buffer }>('SELECT wrapped FROM data_keys WHERE key_id = ?', k.keyId)
          .wrapped,
    );
    const sealed = owners.map(
      (p) =>
        readRaw<{ sealed: Buffer }>(
          'SELECT sealed_subject_id AS sealed FROM subjects WHERE pseudonym = ?',
          p,
        ).sealed,
    );
    expect(wrapped.every(contains) && sealed.every(contains)).toBe(true);

    await Promise.all(
      keys.map((k, i) => vault!.eraseRecordKeys({ keyIds: [k.keyId], forgetSubject: owners[i] })),
    );

    for (const bytes of [...wrapped, ...sealed, ...keys.map((k) => k.key)]) {
      expect(contains(bytes)).toBe(false);
    }
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
  });

  it('keeps keys and pseudonyms across a reopen with the same master key', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const ref = aRef();
    const [key] = await vault.dataKeysFor([ref]);
    const pseudonym = await vault.pseudonymOf('user-42', { create: true });
    await vault.close();

    vault = openSqliteKeyVault(file, masterKey);
    expect(await vault.dataKey(key.keyId)).toEqual(key.key);
    expect(await vault.dataKeysFor([ref])).toEqual([key]);
    expect(await vault.pseudonymOf('user-42', { create: false })).toBe(pseudonym);
    expect(await vault.subjectIdOf(pseudonym!)).toBe('user-42');
  });

  it('writes neither the clear subject id nor a raw data key to the file', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const subjectId = 'jane.doe@example.com';
    const pseudonym = (await vault.pseudonymOf(subjectId, { create: true }))!;
    const keys = await vault.dataKeysFor([
      aRef({ owner: pseudonym }),
      aRef({ owner: pseudonym, category: 'billing' }),
    ]);

    const expectNothingPersonal = () => {
      const bytes = fileBytes();
      expect(bytes.includes(Buffer.from(pseudonym))).toBe(true); // the search does find what is there
      expect(bytes.includes(Buffer.from(subjectId, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(subjectId, 'utf16le'))).toBe(false);
      for (const { key } of keys) expect(bytes.includes(key)).toBe(false);
    };
    expectNothingPersonal(); // while the rows sit in the WAL
    await vault.close();
    vault = undefined;
    expectNothingPersonal(); // once checkpointed into the main file
  });

  it('refuses to open under another master key, which cannot unwrap the stored keys either', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const [key] = await vault.dataKeysFor([aRef()]);
    await vault.close();
    vault = undefined;

    const other = parseMasterKey(generateMasterKey());
    expect(() => openSqliteKeyVault(file, other)).toThrow(WrongMasterKeyError);

    const { wrapped } = readRaw<{ wrapped: Buffer }>(
      'SELECT wrapped FROM data_keys WHERE key_id = ?',
      key.keyId,
    );
    const aad = Buffer.from(key.keyId);
    expect(() => open(keyEncryptionKey(other), wrapped, aad)).toThrow(DecryptionError);
    expect(open(keyEncryptionKey(masterKey), wrapped, aad)).toEqual(key.key);
  });

  it('does not unwrap a wrapped key moved to another key id', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const [a, b] = await vault.dataKeysFor([aRef(), aRef()]);
    await vault.close();
    const db = new Database(file);
    db.prepare(
      'UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE key_id = ?) WHERE key_id = ?',
    ).run(a.keyId, b.keyId);
    db.close();

    vault = openSqliteKeyVault(file, masterKey);
    await expect(vault.dataKey(b.keyId)).rejects.toBeInstanceOf(DecryptionError);
    expect(await vault.dataKey(a.keyId)).toEqual(a.key);
  });

  it.each([
    ['still in the WAL', false],
    ['checkpointed into the main file', true],
  ])(
    'leaves no copy of a destroyed key %s, raw or wrapped, in the database or its WAL',
    async (_, reopen) => {
      vault = openSqliteKeyVault(file, masterKey);
      const [doomed, kept] = await vault.dataKeysFor([aRef(), aRef()]);
      if (reopen) {
        await vault.close(); // the last connection closing checkpoints and removes the WAL
        vault = openSqliteKeyVault(file, masterKey);
      }
      const wrapped = (keyId: string) =>
        readRaw<{ wrapped: Buffer }>('SELECT wrapped FROM data_keys WHERE key_id = ?', keyId)
          .wrapped;
      const doomedWrapped = wrapped(doomed.keyId);
      const keptWrapped = wrapped(kept.keyId);
      expect(contains(doomedWrapped)).toBe(true); // the search does find what is there

      const destruction = await vault.destroyDataKey(doomed.keyId);

      expect(contains(doomedWrapped)).toBe(false);
      expect(contains(doomed.key)).toBe(false);
      expect(contains(keptWrapped)).toBe(true);
      expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
      await vault.close();
      vault = openSqliteKeyVault(file, masterKey);
      expect(await vault.dataKey(doomed.keyId)).toBeUndefined();
      expect(await vault.destroyDataKey(doomed.keyId)).toEqual(destruction);
      expect(await vault.dataKey(kept.keyId)).toEqual(kept.key);
    },
  );

  it('leaves no copy of a forgotten subject link in the database or its WAL', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const pseudonym = (await vault.pseudonymOf('user-7', { create: true }))!;
    const { sealed } = readRaw<{ sealed: Buffer }>(
      'SELECT sealed_subject_id AS sealed FROM subjects WHERE pseudonym = ?',
      pseudonym,
    );
    expect(contains(sealed)).toBe(true);

    await vault.forgetSubject(pseudonym);

    expect(contains(sealed)).toBe(false);
    expect(contains(Buffer.from(pseudonym))).toBe(false);
  });

  it('forgets a subject whose sealed id no longer opens, keeping no cached link to it', async () => {
    vault = openSqliteKeyVault(file, masterKey);
    const [damaged, other] = await vault.pseudonymsOf(['user-7', 'user-8']);
    const db = new Database(file);
    db.prepare('UPDATE subjects SET sealed_subject_id = ? WHERE pseudonym = ?').run(
      Buffer.alloc(40),
      damaged,
    );
    db.close();

    await vault.forgetSubject(damaged);

    expect(await vault.pseudonymOf('user-7', { create: false })).toBeUndefined();
    expect(await vault.pseudonymOf('user-8', { create: false })).toBe(other);
  });
});
