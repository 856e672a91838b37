import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../domain/clock';
import { AUDIT_STREAM } from '../domain/audit/checkpoint-signed';
import { comparePositions, type EventStore, type RecordedEvent } from '../event-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { writeSyntheticLog } from '../projections/testing/synthetic-log';
import { AuditProofs, ProofRangeError } from './audit-proofs';
import { AuditTreeRunner } from './audit-tree-runner';
import {
  ed25519NoteSigner,
  openNote,
  parseCheckpoint,
  ed25519NoteVerifier,
  rawPublicKey,
} from './checkpoint';
import { leafHash, rootAt, verifyConsistency, verifyInclusion } from './merkle';
import { naiveRoot } from './merkle/testing/naive-tree';
import { InconsistentCheckpointError, SignedCheckpoints } from './signed-checkpoints';
import { CheckpointSchedule } from './checkpoint-schedule';
import { waitForTreeHead } from './tree-progress';
import { SqliteAuditTree } from './tree-store/sqlite-audit-tree';
import { createPrivateKey, createPublicKey } from 'node:crypto';

const ORIGIN = 'ledger.test/audit';
// An Ed25519 key from a fixed seed (PKCS#8 DER prefix for a raw 32-byte seed).
const SIGNING_KEY = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 3)]),
  format: 'der',
  type: 'pkcs8',
});

async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position, maxCount: 1000 });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

function dump(tree: string): string {
  const db = SqliteAuditTree.open(tree);
  const raw = (db as unknown as { db: import('better-sqlite3').Database }).db;
  const rows = [
    raw.prepare('SELECT level, tile, hex(hashes) FROM tree_tiles ORDER BY level, tile').raw().all(),
    raw.prepare('SELECT tile, hex(positions) FROM leaf_positions ORDER BY tile').raw().all(),
    raw.prepare('SELECT size, commit_pos, prepare_pos FROM tree_head').raw().all(),
  ];
  db.close();
  return JSON.stringify(rows);
}

describe('the audit tree, kept incrementally from the log', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-tree-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const follow = async (file: string) => {
    const tree = SqliteAuditTree.open(file);
    const runner = new AuditTreeRunner(store, tree, { batchSize: 97 });
    runner.start();
    expect(await waitForTreeHead(store, tree, 20_000)).toBe(true);
    await runner.stop();
    return tree;
  };

  it('equals a from-scratch recomputation at every size, across restarts, byte for byte', async () => {
    await writeSyntheticLog(store, { subjects: 40, events: 600, idPrefix: 'a' });
    const incremental = join(dir, 'incremental.db');
    (await follow(incremental)).close();
    // A restart in the middle of the log's life: the runner resumes from the file's head.
    await writeSyntheticLog(store, { subjects: 40, events: 437, idPrefix: 'b', seed: 7 });
    const tree = await follow(incremental);

    const log = await readLog(store);
    const leaves = log.map((e) => e.data);
    expect(tree.size()).toBe(BigInt(leaves.length));
    // Every event finds its leaf and back, across tile borders.
    const lost = log.filter(
      (e, i) =>
        tree.leafIndexAt(e.position) !== BigInt(i) ||
        comparePositions(tree.positionOfLeaf(BigInt(i))!, e.position) !== 0,
    );
    expect(lost).toEqual([]);
    expect(tree.leafIndexAt({ commit: 10_000n, prepare: 10_000n })).toBeUndefined();
    expect(tree.positionOfLeaf(BigInt(leaves.length))).toBeUndefined();
    for (const size of [0, 1, 2, 3, 7, 8, 9, 255, 256, 600, 601, 1000, leaves.length]) {
      expect(rootAt(tree, BigInt(size)).toString('hex')).toBe(
        naiveRoot(leaves.slice(0, size).map((leaf) => leafHash(leaf))).toString('hex'),
      );
    }
    tree.close();

    // Dropped and rebuilt in one go: the same rows.
    const scratch = join(dir, 'scratch.db');
    (await follow(scratch)).close();
    expect(dump(scratch)).toBe(dump(incremental));
  });

  it('keeps nothing of a failed commit and goes on from its head', async () => {
    await writeSyntheticLog(store, { subjects: 5, events: 20 });
    const log = await readLog(store);
    const tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    tree.append(log.slice(0, 10));
    const root = rootAt(tree, 10n);
    // The same event twice: the unique position index refuses it mid-transaction.
    const twice = [log[10]!, log[11]!, log[10]!];
    expect(() => tree.append(twice)).toThrow();
    expect(tree.size()).toBe(10n);
    expect(rootAt(tree, 10n)).toEqual(root);
    tree.append(log.slice(10));
    expect(rootAt(tree, 20n)).toEqual(naiveRoot(log.map((e) => leafHash(e.data))));
    tree.close();
  });

  it('proves inclusion and consistency, serves the leaves as stored, refuses what is out of range', async () => {
    await writeSyntheticLog(store, { subjects: 10, events: 300 });
    const tree = await follow(join(dir, 'tree.db'));
    const proofs = new AuditProofs(store, tree);
    const log = await readLog(store);
    for (const i of [0, 1, 150, 298, 299]) {
      for (const size of [i + 1, 300]) {
        const proof = await proofs.inclusion(log[i]!.eventId, BigInt(size));
        expect(proof.leafIndex).toBe(String(i));
        const hashes = proof.hashes.map((h) => Buffer.from(h, 'base64'));
        const root = Buffer.from(proof.rootHash, 'base64');
        expect(verifyInclusion(BigInt(i), BigInt(size), leafHash(log[i]!.data), hashes, root)).toBe(
          true,
        );
        expect(root).toEqual(naiveRoot(log.slice(0, size).map((e) => leafHash(e.data))));
      }
    }
    const c = proofs.consistency(17n, 300n);
    expect(
      verifyConsistency(
        17n,
        300n,
        c.hashes.map((h) => Buffer.from(h, 'base64')),
        Buffer.from(c.fromRoot, 'base64'),
        Buffer.from(c.toRoot, 'base64'),
      ),
    ).toBe(true);
    const leaves = await proofs.leaves(298n, 300n);
    expect(leaves.map((l) => l.eventId)).toEqual([log[298]!.eventId, log[299]!.eventId]);
    expect(Buffer.from(leaves[0]!.leaf, 'base64')).toEqual(Buffer.from(log[298]!.data));

    await expect(proofs.inclusion(log[5]!.eventId, 5n)).rejects.toThrow(ProofRangeError);
    expect(() => proofs.consistency(3n, 301n)).toThrow(ProofRangeError);
    await expect(proofs.leaves(0n, 1001n)).rejects.toThrow(ProofRangeError);
    tree.close();
  });
});

describe('signed checkpoints', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-checkpoints-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signerOver = (tree: SqliteAuditTree) =>
    new SignedCheckpoints({
      store,
      tree,
      signer: ed25519NoteSigner(ORIGIN, SIGNING_KEY),
      origin: ORIGIN,
      clock: new FixedClock(new Date('2026-01-01T00:00:00Z')),
    });
  const verifier = ed25519NoteVerifier(ORIGIN, rawPublicKey(createPublicKey(SIGNING_KEY)));
  const catchUp = async (tree: SqliteAuditTree) => {
    const runner = new AuditTreeRunner(store, tree);
    runner.start();
    expect(await waitForTreeHead(store, tree, 20_000)).toBe(true);
    await runner.stop();
  };

  it('signs the head once, records it in the log, and signs only extensions of it', async () => {
    await writeSyntheticLog(store, { subjects: 5, events: 50 });
    const tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    await catchUp(tree);
    const checkpoints = signerOver(tree);
    const first = await checkpoints.signHead('admin');
    expect(first.treeSize).toBe(50n);
    const body = parseCheckpoint(openNote(first.note, [verifier]).body);
    expect(body).toMatchObject({ origin: ORIGIN, treeSize: 50n });
    expect(body.rootHash).toEqual(rootAt(tree, 50n));
    // Nothing new: the same checkpoint, no second event.
    expect((await checkpoints.signHead('interval')).eventId).toBe(first.eventId);
    expect(await store.readStream(AUDIT_STREAM)).toHaveLength(1);

    await writeSyntheticLog(store, { subjects: 5, events: 30, idPrefix: 'more' });
    await catchUp(tree);
    const second = await checkpoints.signHead('every');
    expect(second.treeSize).toBe(81n); // 50 + the first checkpoint's event + 30
    expect((await checkpoints.all()).map((c) => c.treeSize)).toEqual([50n, 81n]);
    tree.close();
  });

  it('refuses to sign a tree that forks from a checkpoint it signed, and writes nothing', async () => {
    await writeSyntheticLog(store, { subjects: 5, events: 20 });
    const tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    await catchUp(tree);
    await signerOver(tree).signHead('admin');
    // Another history of the same length and more: what a rewritten log would give.
    const forkedStore = SqliteEventStore.open(join(dir, 'forked.db'));
    await writeSyntheticLog(forkedStore, { subjects: 5, events: 40, seed: 99, idPrefix: 'f' });
    const forked = SqliteAuditTree.open(join(dir, 'forked-tree.db'));
    forked.append(await readLog(forkedStore));
    await forkedStore.close();

    await expect(signerOver(forked).signHead('admin')).rejects.toThrow(InconsistentCheckpointError);
    await expect(signerOver(forked).signHead('admin')).rejects.toThrow(
      /refusing to sign tree size 40: it is not consistent with the checkpoint of size 20/,
    );
    expect(await store.readStream(AUDIT_STREAM)).toHaveLength(1);
    tree.close();
    forked.close();
  });

  it('two signers racing for the same head leave one checkpoint', async () => {
    await writeSyntheticLog(store, { subjects: 5, events: 20 });
    const tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    await catchUp(tree);
    const [a, b] = await Promise.all([
      signerOver(tree).signHead('admin'),
      signerOver(tree).signHead('every'),
    ]);
    expect(a.eventId).toBe(b.eventId);
    expect(await store.readStream(AUDIT_STREAM)).toHaveLength(1);
    tree.close();
  });
});

describe('the checkpoint schedule', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-schedule-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs every N leaves and on a timer while events come in, and stays quiet when idle', async () => {
    const tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    const checkpoints = new SignedCheckpoints({
      store,
      tree,
      signer: ed25519NoteSigner(ORIGIN, SIGNING_KEY),
      origin: ORIGIN,
      clock: new FixedClock(new Date('2026-01-01T00:00:00Z')),
    });
    const signed: string[] = [];
    const schedule = new CheckpointSchedule(checkpoints, tree, {
      every: 100,
      intervalMs: 50,
      onSigned: (size, trigger) => signed.push(`${size}:${trigger}`),
    });
    await schedule.start();
    const runner = new AuditTreeRunner(store, tree, {
      batchSize: 100,
      onAppended: (size) => schedule.onAppended(size),
    });
    runner.start();
    await writeSyntheticLog(store, { subjects: 10, events: 250 });
    await waitForTreeHead(store, tree, 10_000);
    // Long enough for several timer ticks: once the tail is signed, nothing more is.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runner.stop();
    await schedule.stop();

    const sizes = (await checkpoints.all()).map((c) => c.treeSize);
    expect(signed.some((s) => s.endsWith(':every'))).toBe(true);
    // The last checkpoint covers every event but checkpoints, and there are few of them.
    const all = await readLog(store);
    const lastNonCheckpoint = all.map((e) => e.type).lastIndexOf('LastActivity');
    expect(sizes.at(-1)!).toBeGreaterThan(BigInt(lastNonCheckpoint));
    expect(sizes.length).toBeLessThanOrEqual(5);
    tree.close();
  });
});
