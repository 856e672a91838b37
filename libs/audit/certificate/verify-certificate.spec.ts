import { createHash } from 'node:crypto';
import { encodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import {
  ed25519NoteSigner,
  ed25519PrivateKeyFromSeed,
  formatCheckpoint,
  rawPublicKey,
  signNote,
  verifierKeyString,
} from '../checkpoint';
import { inclusionProof, leafHash, rootAt } from '../merkle';
import { storedTree } from '../merkle/testing/stored-tree';
import type { ErasureCertificate } from './erasure-certificate';
import { verifyCertificate } from './verify-certificate';

const ORIGIN = 'ledger.test/audit';
const KEY = ed25519PrivateKeyFromSeed(Buffer.alloc(32, 5));
const TRUSTED = verifierKeyString(ORIGIN, rawPublicKey(KEY));
const POLICY_TEXT = 'version: 2023-01-24\n';
const SHA = createHash('sha256').update(POLICY_TEXT).digest('hex');

const event = (eventId: string, type: string, data: Record<string, unknown>): LedgerEventV1 => ({
  v: 1,
  eventId,
  type,
  occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-02T00:00:00.000Z',
  source: 'ledger',
  data,
});
const FACT = {
  recordKey: 'visits:2025-01',
  category: 'navigation',
  policyVersion: '2023-01-24',
  purposes: ['statistics'],
  dueAt: '2026-03-15T10:00:00.000Z',
  because: ['e-1'],
  keyFingerprint: 'ab'.repeat(32),
};

/** A log of five events (policy, evidence, noise, erasure, noise) and its certificate. */
function certificate(): ErasureCertificate {
  const events = [
    event('p-1', 'PolicyVersionPublished', {
      version: '2023-01-24',
      sha256: SHA,
      text: POLICY_TEXT,
    }),
    event('e-1', 'VisitRecorded', {}),
    event('n-1', 'LastActivity', {}),
    event('f-1', 'RecordErased', FACT),
    event('n-2', 'LastActivity', {}),
  ];
  const leaves = events.map((e) => Buffer.from(encodeLedgerEvent(e)));
  const { nodes } = storedTree(leaves.map((leaf) => leafHash(leaf)));
  const size = BigInt(leaves.length);
  const root = rootAt(nodes, size);
  const proven = (index: number) => ({
    eventId: events[index].eventId,
    leafIndex: String(index),
    leaf: leaves[index].toString('base64'),
    hashes: inclusionProof(nodes, BigInt(index), size).map((h) => h.toString('base64')),
  });
  const { keyFingerprint: _, recordKey: __, ...claims } = FACT;
  return {
    format: 'ledger-erasure-certificate',
    version: 1,
    issuedAt: '2026-04-01T00:00:00.000Z',
    erasure: { ...claims, type: 'RecordErased', recordedAt: events[3].recordedAt, ...proven(3) },
    evidence: [proven(1)],
    policy: { version: '2023-01-24', sha256: SHA, ...proven(0) },
    checkpoint: {
      origin: ORIGIN,
      treeSize: size.toString(),
      rootHash: root.toString('base64'),
      note: signNote(
        formatCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: root }),
        ed25519NoteSigner(ORIGIN, KEY),
      ),
    },
    verifierKey: {
      algorithm: 'Ed25519',
      publicKey: rawPublicKey(KEY).toString('base64'),
      verifierKey: TRUSTED,
      keyId: '',
      name: ORIGIN,
    },
  };
}

const tampered = (change: (c: any) => void) => {
  const copy = JSON.parse(JSON.stringify(certificate()));
  change(copy);
  return verifyCertificate(copy, TRUSTED);
};

describe('verifyCertificate', () => {
  it('accepts a sound certificate and sums it up', () => {
    expect(verifyCertificate(certificate(), TRUSTED)).toEqual({
      ok: true,
      problems: [],
      summary: {
        eventId: 'f-1',
        type: 'RecordErased',
        recordedAt: '2026-01-02T00:00:00.000Z',
        category: 'navigation',
        dueAt: '2026-03-15T10:00:00.000Z',
        policyVersion: '2023-01-24',
        policySha256: SHA,
        origin: ORIGIN,
        treeSize: '5',
        evidence: 1,
        signatureCheckedWith: 'trusted key',
      },
    });
    expect(verifyCertificate(certificate()).summary.signatureCheckedWith).toBe('embedded key');
  });

  it('refuses what is not a certificate of a version it knows', () => {
    expect(verifyCertificate('nope').problems).toEqual(['certificate: not a JSON object']);
    expect(verifyCertificate({ ...certificate(), version: 2 }).problems).toEqual([
      'certificate: format "ledger-erasure-certificate" version 2 is not ledger-erasure-certificate version 1',
    ]);
  });

  it.each<[string, (c: any) => void, string[]]>([
    [
      'a leaf index moved',
      (c) => (c.erasure.leafIndex = '2'),
      [
        "erasure: the inclusion proof of leaf 2 does not lead to the checkpoint's root (tree size 5)",
      ],
    ],
    [
      'a proof hash that is not base64',
      (c) => (c.policy.hashes = ['?']),
      ['policy: hashes is not a list of base64 hashes'],
    ],
    [
      'an evidence leaf that is another event of the log',
      (c) => {
        c.evidence[0].leaf = c.erasure.leaf;
        c.evidence[0].leafIndex = c.erasure.leafIndex;
        c.evidence[0].hashes = c.erasure.hashes;
      },
      [
        'evidence[0] (e-1): the leaf is event f-1, not e-1',
        'evidence: no proven leaf for e-1, named in because',
        'evidence[0] (e-1): event f-1 is not named in because',
        "evidence[0] (e-1): leaf 3 does not come before the fact's (3)",
      ],
    ],
    [
      'the erasure leaf swapped for a noise event',
      (c) => {
        const noise = certificate();
        c.erasure.leaf = noise.evidence[0].leaf;
        c.erasure.leafIndex = '1';
        c.erasure.hashes = noise.evidence[0].hashes;
      },
      expect.arrayContaining([
        'erasure: the leaf is event e-1, not f-1',
        'erasure: the leaf is a VisitRecorded, not RecordErased or RecordArchived',
      ]),
    ],
    [
      'a checkpoint field that is not the signed one',
      (c) => (c.checkpoint.treeSize = '6'),
      ['checkpoint: treeSize "6" is not the signed note\'s (5)'],
    ],
    [
      'an unusable trusted key',
      () => undefined,
      [
        'checkpoint: the trusted key cannot be used: verifier key: expected <name>+<8 hex digit key id>+<base64 key>',
      ],
    ],
  ])('names %s', (what, change, problems) => {
    const copy = JSON.parse(JSON.stringify(certificate()));
    change(copy);
    const verdict = verifyCertificate(copy, what === 'an unusable trusted key' ? 'k' : TRUSTED);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(problems);
  });

  it('checks the policy version claimed against its leaf', () => {
    expect(tampered((c) => (c.policy.version = '2099-01-01')).problems).toEqual([
      'policy: version "2099-01-01" is not the leaf\'s (2023-01-24)',
    ]);
  });

  it('checks the policy text against its SHA-256', () => {
    const other = 'version: 2099-01-01\n';
    const verdict = tampered((c) => {
      const leaf = JSON.parse(Buffer.from(c.policy.leaf, 'base64').toString());
      leaf.data.text = other;
      c.policy.leaf = Buffer.from(JSON.stringify(leaf)).toString('base64');
    });
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^policy: the inclusion proof of leaf 0 does not lead/),
      `policy: the SHA-256 of the leaf's policy text is ${createHash('sha256').update(other).digest('hex')}, not ${SHA}`,
    ]);
  });
});
