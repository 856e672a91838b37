import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../domain/clock';
import {
  encodeLedgerEvent,
  subjectStreamName,
  type LedgerEventV1,
} from '../../domain/events/ledger-event';
import {
  POLICY_STREAM,
  POLICY_VERSION_PUBLISHED,
} from '../../domain/policy-versions/policy-version-published';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { writeSyntheticLog } from '../../projections/testing/synthetic-log';
import { UnknownEventError } from '../audit-proofs';
import { AuditTreeRunner } from '../audit-tree-runner';
import {
  ed25519NoteSigner,
  ed25519PrivateKeyFromSeed,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  rawPublicKey,
  verifierKeyString,
} from '../checkpoint';
import { verifyInclusion } from '../merkle';
import { SignedCheckpoints } from '../signed-checkpoints';
import { waitForTreeHead } from '../tree-progress';
import { SqliteAuditTree } from '../tree-store/sqlite-audit-tree';
import {
  ErasureCertificates,
  MissingEvidenceError,
  NotAnErasureError,
} from './erasure-certificates';
import { verifyCertificate } from './verify-certificate';

const ORIGIN = 'ledger.test/audit';
const KEY = ed25519PrivateKeyFromSeed(Buffer.alloc(32, 8));
const VERIFIER_KEY = verifierKeyString(ORIGIN, rawPublicKey(KEY));
const b64 = (text: string) => Buffer.from(text, 'base64');

const policyEvent = (eventId: string, text: string): LedgerEventV1 => ({
  v: 1,
  eventId,
  type: POLICY_VERSION_PUBLISHED,
  occurredAt: '2022-01-01T00:00:00.000Z',
  recordedAt: '2022-01-01T00:00:00.000Z',
  source: 'ledger',
  data: {
    version: '2023-01-24',
    effectiveFrom: '2023-01-24',
    sha256: createHash('sha256').update(text).digest('hex'),
    text,
  },
});

const erased = (n: number, because: string[]): LedgerEventV1 => ({
  v: 1,
  eventId: `fact-${n}`,
  type: 'RecordErased',
  subject: `ps-${n.toString().padStart(7, '0')}`,
  occurredAt: '2025-01-01T00:00:00.000Z',
  recordedAt: `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  source: 'ledger',
  data: {
    recordKey: 'account',
    category: 'identification',
    policyVersion: '2023-01-24',
    purposes: ['platform-access'],
    dueAt: '2025-01-01T00:00:00.000Z',
    because,
    keyFingerprint: 'ab'.repeat(32),
  },
});

/** Certificates built from a real SQLite log and tree, checked with the verifier alone. */
describe('erasure certificates over a SQLite log', () => {
  let dir: string;
  let store: SqliteEventStore;
  let tree: SqliteAuditTree;
  let checkpoints: SignedCheckpoints;
  let certificates: ErasureCertificates;

  const append = (streamName: string, event: LedgerEventV1) =>
    store.appendToStream({
      streamName,
      expectedRevision: 'any',
      events: [{ eventId: event.eventId, type: event.type, data: encodeLedgerEvent(event) }],
    });
  const catchUp = async () => {
    const runner = new AuditTreeRunner(store, tree);
    runner.start();
    expect(await waitForTreeHead(store, tree, 20_000)).toBe(true);
    await runner.stop();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certificates-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    tree = SqliteAuditTree.open(join(dir, 'tree.db'));
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    checkpoints = new SignedCheckpoints({
      store,
      tree,
      signer: ed25519NoteSigner(ORIGIN, KEY),
      origin: ORIGIN,
      clock,
    });
    const publicKey = { name: ORIGIN, publicKey: rawPublicKey(KEY) };
    certificates = new ErasureCertificates({ store, tree, checkpoints, publicKey, clock });
    await append(POLICY_STREAM, policyEvent('policy-1', 'version: 2023-01-24\n'));
    await writeSyntheticLog(store, { subjects: 20, events: 300 });
  });
  afterEach(async () => {
    await store.close();
    tree.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proves listed facts against one checkpoint, signed on demand only when none covers them', async () => {
    for (let n = 0; n < 20; n++) {
      await append(
        subjectStreamName(`ps-${n.toString().padStart(7, '0')}`),
        erased(n, [`ev-${n}`]),
      );
    }
    await catchUp();
    const rows = tree.lifecycleFacts({ limit: 100 });
    expect(rows).toHaveLength(20);
    const items = await certificates.prove(rows, { withRecordKey: false });
    const signed = await checkpoints.latest();
    expect(signed).toMatchObject({ trigger: 'certificate', treeSize: tree.size() });
    const verifier = parseVerifierKey(VERIFIER_KEY);
    for (const item of items) {
      const checkpoint = parseCheckpoint(openNote(item.checkpoint.note, [verifier]).body);
      expect(item.recordKey).toBeUndefined();
      expect(
        verifyInclusion(
          BigInt(item.leafIndex),
          checkpoint.treeSize,
          b64(item.inclusion.leafHash),
          item.inclusion.hashes.map(b64),
          checkpoint.rootHash,
        ),
      ).toBe(true);
    }
    // Covered already: asked again after more events, the same checkpoint answers.
    await writeSyntheticLog(store, { subjects: 5, events: 10, idPrefix: 'more' });
    await catchUp();
    await certificates.prove(rows, { withRecordKey: true });
    expect((await checkpoints.latest())?.eventId).toBe(signed?.eventId);
  });

  it('certifies with the policy version published before the fact, and names what it cannot certify', async () => {
    await append(subjectStreamName('ps-0000003'), erased(3, ['ev-3', 'ev-40']));
    await append(subjectStreamName('ps-0000004'), erased(4, ['no-such-event']));
    // The same version name published again later, with another text: not the one applied.
    await append(POLICY_STREAM, policyEvent('policy-2', 'version: 2023-01-24\n# edited\n'));
    await catchUp();

    const certificate = await certificates.certificate('fact-3', { withRecordKey: true });
    expect(certificate.policy.eventId).toBe('policy-1');
    expect(certificate.evidence.map((e) => e.eventId)).toEqual(['ev-3', 'ev-40']);
    expect(certificate.erasure.recordKey).toBe('account');
    expect(verifyCertificate(certificate, VERIFIER_KEY)).toMatchObject({
      ok: true,
      problems: [],
    });

    await expect(certificates.certificate('ev-3', { withRecordKey: false })).rejects.toThrow(
      NotAnErasureError,
    );
    await expect(certificates.certificate('nope', { withRecordKey: false })).rejects.toThrow(
      UnknownEventError,
    );
    await expect(certificates.certificate('fact-4', { withRecordKey: false })).rejects.toThrow(
      new MissingEvidenceError('the log holds no evidence event no-such-event'),
    );
  });
});
