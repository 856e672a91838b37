import { randomUUID } from 'node:crypto';
import { KeyNotFoundError } from '../crypto.errors';
import type { KeyVault, RecordKeyRef } from '../key-vault.port';

export interface KeyVaultUnderTest {
  readonly vault: KeyVault;
  /** Closes the vault and removes what it wrote. */
  dispose(): Promise<void>;
}

export function aRef(overrides: Partial<RecordKeyRef> = {}): RecordKeyRef {
  return { owner: randomUUID(), recordKey: 'account', category: 'identification', ...overrides };
}

const aSubjectId = () => `user-${randomUUID()}`;

/** What the KeyVault port promises, checked against each adapter. */
export function testKeyVault(name: string, open: () => Promise<KeyVaultUnderTest>): void {
  describe(`KeyVault contract: ${name}`, () => {
    let subject: KeyVaultUnderTest;
    let vault: KeyVault;

    beforeEach(async () => {
      subject = await open();
      vault = subject.vault;
    });
    afterEach(async () => subject.dispose());

    describe('data keys', () => {
      it('gives one 32-byte key per ref, the same on every call', async () => {
        const ref = aRef();
        const [first] = await vault.dataKeysFor([ref]);
        const [again] = await vault.dataKeysFor([{ ...ref }]);
        expect(first.key).toHaveLength(32);
        expect(again).toEqual(first);
        expect(await vault.dataKey(first.keyId)).toEqual(first.key);
      });

      it('gives different keys to different categories, records and owners', async () => {
        const ref = aRef();
        const keys = await vault.dataKeysFor([
          ref,
          { ...ref, category: 'billing' },
          { ...ref, recordKey: 'invoice:INV-7' },
          { ...ref, owner: randomUUID() },
        ]);
        expect(new Set(keys.map((k) => k.keyId)).size).toBe(4);
        expect(new Set(keys.map((k) => k.key.toString('hex'))).size).toBe(4);
      });

      it('keeps the order of the refs and creates a repeated ref once', async () => {
        const a = aRef();
        const b = aRef();
        const [ka, kb, ka2] = await vault.dataKeysFor([a, b, a]);
        expect(ka2).toEqual(ka);
        expect((await vault.dataKeysFor([b]))[0]).toEqual(kb);
      });

      it('creates one key when many callers ask for the same missing ref at once', async () => {
        const ref = aRef();
        const keys = await Promise.all(Array.from({ length: 50 }, () => vault.dataKeysFor([ref])));
        expect(new Set(keys.map(([k]) => k.keyId)).size).toBe(1);
        expect(await vault.liveKeysOf(ref.owner)).toHaveLength(1);
      });

      it('answers undefined for an id it never issued', async () => {
        expect(await vault.dataKey(randomUUID())).toBeUndefined();
      });

      it('lists the live keys of an owner', async () => {
        const owner = randomUUID();
        const [account, invoice] = await vault.dataKeysFor([
          aRef({ owner }),
          aRef({ owner, recordKey: 'invoice:INV-7', category: 'billing' }),
        ]);
        await vault.dataKeysFor([aRef()]);
        expect(await vault.liveKeysOf(owner)).toEqual(
          expect.arrayContaining([
            { keyId: account.keyId, recordKey: 'account', category: 'identification' },
            { keyId: invoice.keyId, recordKey: 'invoice:INV-7', category: 'billing' },
          ]),
        );
        expect(await vault.liveKeysOf(owner)).toHaveLength(2);
      });
    });

    describe('destroying a data key', () => {
      it('makes the key unreachable and drops it from the live keys', async () => {
        const ref = aRef();
        const [key] = await vault.dataKeysFor([ref]);
        await vault.destroyDataKey(key.keyId);
        expect(await vault.dataKey(key.keyId)).toBeUndefined();
        expect(await vault.liveKeysOf(ref.owner)).toEqual([]);
      });

      it('returns a stable fingerprint that does not reveal the key, again when destroyed twice', async () => {
        const [key] = await vault.dataKeysFor([aRef()]);
        const first = await vault.destroyDataKey(key.keyId);
        const second = await vault.destroyDataKey(key.keyId);
        expect(first.keyId).toBe(key.keyId);
        expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(first.fingerprint).not.toContain(key.key.toString('hex'));
        expect(second).toEqual(first);
      });

      it('gives different keys different fingerprints', async () => {
        const [a, b] = await vault.dataKeysFor([aRef(), aRef()]);
        const [fa, fb] = await Promise.all([
          vault.destroyDataKey(a.keyId),
          vault.destroyDataKey(b.keyId),
        ]);
        expect(fa.fingerprint).not.toBe(fb.fingerprint);
      });

      it('rejects an unknown id with KeyNotFoundError', async () => {
        await expect(vault.destroyDataKey(randomUUID())).rejects.toBeInstanceOf(KeyNotFoundError);
      });

      it('gives the same ref a new key afterwards, never the destroyed one', async () => {
        const ref = aRef();
        const [old] = await vault.dataKeysFor([ref]);
        await vault.destroyDataKey(old.keyId);
        const [fresh] = await vault.dataKeysFor([ref]);
        expect(fresh.keyId).not.toBe(old.keyId);
        expect(fresh.key.equals(old.key)).toBe(false);
      });

      it('is not undone by a lookup of the same key made while it is under way', async () => {
        const ref = aRef();
        const [old] = await vault.dataKeysFor([ref]);
        // Another ref in between: a one-entry cache no longer holds the first key.
        await vault.dataKeysFor([aRef()]);
        const destroying = vault.destroyDataKey(old.keyId);
        const lookingUp = vault.dataKeysFor([ref]);
        await Promise.all([destroying, lookingUp]);
        expect(await vault.dataKey(old.keyId)).toBeUndefined();
        const [fresh] = await vault.dataKeysFor([ref]);
        expect(fresh.keyId).not.toBe(old.keyId);
      });
    });

    describe("erasing a record's keys", () => {
      it('destroys each key, in order, and forgets the subject when asked', async () => {
        const id = aSubjectId();
        const owner = (await vault.pseudonymOf(id, { create: true }))!;
        const [old, current] = await vault.dataKeysFor([
          aRef({ owner, category: 'billing' }),
          aRef({ owner }),
        ]);

        const destroyed = await vault.eraseRecordKeys({
          keyIds: [old.keyId, current.keyId],
          forgetSubject: owner,
        });

        expect(destroyed.map((d) => d.keyId)).toEqual([old.keyId, current.keyId]);
        expect(await vault.dataKey(old.keyId)).toBeUndefined();
        expect(await vault.dataKey(current.keyId)).toBeUndefined();
        expect(await vault.liveKeysOf(owner)).toEqual([]);
        expect(await vault.subjectIdOf(owner)).toBeUndefined();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
        // The same fingerprints as destroying one key at a time: erasing again repeats them.
        expect(await vault.destroyDataKey(current.keyId)).toEqual(destroyed[1]);
        expect(await vault.eraseRecordKeys({ keyIds: [old.keyId], forgetSubject: owner })).toEqual(
          destroyed.slice(0, 1),
        );
      });

      it('keeps only the way from the pseudonym to the platform id, when asked, until forgotten', async () => {
        const id = aSubjectId();
        const owner = (await vault.pseudonymOf(id, { create: true }))!;
        const [key] = await vault.dataKeysFor([aRef({ owner })]);
        const erasure = { keyIds: [key.keyId], forgetSubject: owner, keepSubjectId: true };
        await vault.eraseRecordKeys(erasure);
        expect(await vault.dataKey(key.keyId)).toBeUndefined();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
        expect(await vault.subjectIdOf(owner)).toBe(id);
        // Done again after a crash: the same.
        await vault.eraseRecordKeys(erasure);
        expect(await vault.subjectIdOf(owner)).toBe(id);
        // The person comes back: a new pseudonym, the old one still names them for the systems.
        const back = (await vault.pseudonymOf(id, { create: true }))!;
        expect(back).not.toBe(owner);
        expect(await vault.subjectIdOf(owner)).toBe(id);
        await vault.forgetSubject(owner);
        expect(await vault.subjectIdOf(owner)).toBeUndefined();
        expect(await vault.subjectIdOf(back)).toBe(id);
        expect(await vault.pseudonymOf(id, { create: false })).toBe(back);
      });

      it('keeps the subject when not asked to forget it', async () => {
        const id = aSubjectId();
        const owner = (await vault.pseudonymOf(id, { create: true }))!;
        const [key] = await vault.dataKeysFor([aRef({ owner })]);
        await vault.eraseRecordKeys({ keyIds: [key.keyId] });
        expect(await vault.dataKey(key.keyId)).toBeUndefined();
        expect(await vault.subjectIdOf(owner)).toBe(id);
      });

      it('does nothing at all when one of the keys is unknown', async () => {
        const id = aSubjectId();
        const owner = (await vault.pseudonymOf(id, { create: true }))!;
        const [key] = await vault.dataKeysFor([aRef({ owner })]);
        await expect(
          vault.eraseRecordKeys({ keyIds: [key.keyId, randomUUID()], forgetSubject: owner }),
        ).rejects.toBeInstanceOf(KeyNotFoundError);
        expect(await vault.dataKey(key.keyId)).toEqual(key.key);
        expect(await vault.subjectIdOf(owner)).toBe(id);
      });

      it('erases many records at once, each as if alone', async () => {
        const owners = await vault.pseudonymsOf([aSubjectId(), aSubjectId(), aSubjectId()]);
        const keys = await vault.dataKeysFor(owners.map((owner) => aRef({ owner })));
        const erasures = await Promise.allSettled([
          vault.eraseRecordKeys({ keyIds: [keys[0].keyId], forgetSubject: owners[0] }),
          vault.eraseRecordKeys({ keyIds: [randomUUID()], forgetSubject: owners[1] }),
          vault.eraseRecordKeys({ keyIds: [keys[2].keyId], forgetSubject: owners[2] }),
        ]);
        expect(erasures.map((e) => e.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await vault.dataKey(keys[0].keyId)).toBeUndefined();
        expect(await vault.dataKey(keys[1].keyId)).toEqual(keys[1].key);
        expect(await vault.subjectIdOf(owners[1])).toBeDefined();
        expect(await vault.subjectIdOf(owners[2])).toBeUndefined();
      });
    });

    describe('pseudonyms', () => {
      it('creates a random, stable pseudonym that does not contain the subject id', async () => {
        const id = aSubjectId();
        const pseudonym = await vault.pseudonymOf(id, { create: true });
        expect(pseudonym).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(pseudonym).not.toContain(id);
        expect(await vault.pseudonymOf(id, { create: true })).toBe(pseudonym);
        expect(await vault.pseudonymOf(id, { create: false })).toBe(pseudonym);
        expect(await vault.subjectIdOf(pseudonym!)).toBe(id);
      });

      it('does not create when asked not to', async () => {
        const id = aSubjectId();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
      });

      it('gives different subjects different pseudonyms', async () => {
        const [a, b] = await vault.pseudonymsOf([aSubjectId(), aSubjectId()]);
        expect(a).not.toBe(b);
      });

      it('resolves a batch in order, creating the missing ones, a repeated id once', async () => {
        const known = aSubjectId();
        const fresh = aSubjectId();
        const knownPseudonym = await vault.pseudonymOf(known, { create: true });
        const batch = await vault.pseudonymsOf([fresh, known, fresh]);
        expect(batch[1]).toBe(knownPseudonym);
        expect(batch[2]).toBe(batch[0]);
        expect(await vault.subjectIdOf(batch[0])).toBe(fresh);
      });

      it('ends with one pseudonym when 50 callers ask for the same new subject at once', async () => {
        const id = aSubjectId();
        const all = await Promise.all(
          Array.from({ length: 50 }, () => vault.pseudonymOf(id, { create: true })),
        );
        expect(new Set(all).size).toBe(1);
        expect(await vault.pseudonymOf(id, { create: false })).toBe(all[0]);
      });

      it('answers undefined for an unknown pseudonym', async () => {
        expect(await vault.subjectIdOf(randomUUID())).toBeUndefined();
      });
    });

    describe('forgetting a subject', () => {
      it('resolves in neither direction afterwards, and the same id gets a new pseudonym', async () => {
        const id = aSubjectId();
        const old = (await vault.pseudonymOf(id, { create: true }))!;
        await vault.forgetSubject(old);
        expect(await vault.subjectIdOf(old)).toBeUndefined();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
        const fresh = await vault.pseudonymOf(id, { create: true });
        expect(fresh).not.toBe(old);
        expect(await vault.subjectIdOf(fresh!)).toBe(id);
      });

      it('is not undone by a lookup of the same subject made while it is under way', async () => {
        const id = aSubjectId();
        const old = (await vault.pseudonymOf(id, { create: true }))!;
        // Another subject in between: a one-entry cache no longer holds the first link.
        await vault.pseudonymOf(aSubjectId(), { create: true });
        const forgetting = vault.forgetSubject(old);
        const lookingUp = vault.pseudonymsOf([id]);
        await Promise.all([forgetting, lookingUp]);
        expect(await vault.subjectIdOf(old)).toBeUndefined();
        expect(await vault.pseudonymOf(id, { create: false })).toBeUndefined();
      });

      it('leaves other subjects alone and is a no-op for an unknown pseudonym', async () => {
        const [a, b] = await vault.pseudonymsOf([aSubjectId(), aSubjectId()]);
        await vault.forgetSubject(a);
        await vault.forgetSubject(a);
        await vault.forgetSubject(randomUUID());
        expect(await vault.subjectIdOf(b)).toBeDefined();
      });
    });
  });
}
