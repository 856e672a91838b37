import { randomUUID } from 'node:crypto';
import { openNote, parseCheckpoint, parseVerifierKey } from '../libs/audit/checkpoint';
import { leafHash, verifyConsistency, verifyInclusion } from '../libs/audit/merkle';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const EMAIL = 'auditee.known@example.fr';
const SUBJECT = 'user-audit-77';

const b64 = (text: string) => Buffer.from(text, 'base64');

/**
 * An auditor who trusts nothing but the public key and RFC 9162: every answer of the audit
 * routes is checked here with the verification functions alone, never with the ledger's
 * word for it.
 */
jest.setTimeout(30_000);

describe('audit proofs over HTTP', () => {
  let ledger: Ledger;
  afterEach(() => ledger?.close());

  const publish = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      ids.push(eventId);
      const response = await ledger.request('POST', '/v1/events', {
        key: KEYS.publisher,
        body: {
          eventId,
          type: i === 0 ? 'AccountCreated' : 'LastActivity',
          subjectId: SUBJECT,
          occurredAt: '2024-06-01T10:00:00Z',
          source: 'marketplace-api',
          data: i === 0 ? { role: 'member' } : {},
          ...(i === 0 ? { personalData: { identification: { email: EMAIL } } } : {}),
        },
      });
      expect(response.status).toBe(201);
    }
    return ids;
  };
  const audit = (method: string, path: string, key: string = KEYS.auditor) =>
    ledger.request(method, `/v1/audit${path}`, { key });

  it('signs checkpoints an auditor can open with the public key, and proves inclusion and consistency', async () => {
    ledger = await startLedger();
    const first = await publish(5);
    expect((await audit('GET', '/checkpoint')).status).toBe(404);

    const signed = await audit('POST', '/checkpoint', KEYS.admin);
    expect(signed.status).toBe(201);
    const key = await audit('GET', '/public-key', KEYS.publisher);
    expect(key.status).toBe(200);
    expect(key.body.algorithm).toBe('Ed25519');
    expect(b64(key.body.publicKey)).toHaveLength(32);
    const verifier = parseVerifierKey(key.body.verifierKey);

    const latest = await audit('GET', '/checkpoint');
    expect(latest.status).toBe(200);
    const opened = openNote(latest.body.note, [verifier]);
    const checkpoint = parseCheckpoint(opened.body);
    expect(checkpoint.origin).toBe(latest.body.origin);
    expect(checkpoint.treeSize.toString()).toBe(latest.body.treeSize);
    expect(checkpoint.rootHash.toString('base64')).toBe(latest.body.rootHash);

    for (const eventId of first) {
      const proof = await audit(
        'GET',
        `/proof/inclusion?eventId=${eventId}&treeSize=${checkpoint.treeSize}`,
      );
      expect(proof.status).toBe(200);
      expect(
        verifyInclusion(
          BigInt(proof.body.leafIndex),
          checkpoint.treeSize,
          b64(proof.body.leafHash),
          proof.body.hashes.map(b64),
          checkpoint.rootHash,
        ),
      ).toBe(true);
      // The leaf hash is the hash of the leaf as the leaves route serves it.
      const index = BigInt(proof.body.leafIndex);
      const leaves = await audit('GET', `/leaves?start=${index}&end=${index + 1n}`);
      expect(leaves.body.leaves[0].eventId).toBe(eventId);
      expect(leafHash(b64(leaves.body.leaves[0].leaf)).toString('base64')).toBe(
        proof.body.leafHash,
      );
    }

    // More events, a second checkpoint: the log only grew, and the proof says so.
    await publish(7);
    const second = await audit('POST', '/checkpoint', KEYS.admin);
    expect(second.status).toBe(201);
    const later = parseCheckpoint(openNote(second.body.note, [verifier]).body);
    expect(later.treeSize).toBeGreaterThan(checkpoint.treeSize);
    const consistency = await audit(
      'GET',
      `/proof/consistency?from=${checkpoint.treeSize}&to=${later.treeSize}`,
    );
    expect(consistency.status).toBe(200);
    const hashes = consistency.body.hashes.map(b64);
    expect(
      verifyConsistency(
        checkpoint.treeSize,
        later.treeSize,
        hashes,
        checkpoint.rootHash,
        later.rootHash,
      ),
    ).toBe(true);
    // A forged older root does not pass.
    const forged = Buffer.from(checkpoint.rootHash);
    forged[0] ^= 1;
    expect(
      verifyConsistency(checkpoint.treeSize, later.treeSize, hashes, forged, later.rootHash),
    ).toBe(false);

    // Nothing came in since: signing again answers the same checkpoint, no new event.
    const again = await audit('POST', '/checkpoint', KEYS.admin);
    expect(again.body.eventId).toBe(second.body.eventId);
  });

  it('answers a clear 400 for sizes and indices out of range, 404 for an unknown event', async () => {
    ledger = await startLedger();
    const [eventId] = await publish(3);
    expect((await audit('POST', '/checkpoint', KEYS.admin)).status).toBe(201);
    const size = BigInt((await audit('GET', '/checkpoint')).body.treeSize);

    const cases: [string, string[]][] = [
      [
        `/proof/inclusion?eventId=${eventId}&treeSize=${size + 100n}`,
        [`treeSize: ${size + 100n} is beyond the tree's size, ${size + 1n}`],
      ],
      [`/proof/inclusion?eventId=not-a-uuid`, ['eventId: must be a UUID']],
      [
        `/proof/inclusion?eventId=${eventId}&treeSize=-1`,
        ['treeSize: must be a whole number from 0 to 2^63 - 1, in decimal'],
      ],
      [`/proof/consistency?from=5&to=2`, ['from: 5 is larger than to (2)']],
      [`/proof/consistency?from=1&to=99999`, [`to: 99999 is beyond the tree's size, ${size + 1n}`]],
      [
        `/proof/consistency?from=1.5&to=2`,
        ['from: must be a whole number from 0 to 2^63 - 1, in decimal'],
      ],
      [
        `/leaves?start=0&end=2000`,
        [
          `end: 2000 is beyond the tree's size, ${size + 1n}`,
          'end: at most 1000 leaves at a time (end - start)',
        ],
      ],
      [`/leaves?start=3&end=1`, ['start: 3 is larger than end (1)']],
      [`/leaves?start=0`, ['end: must be a whole number from 0 to 2^63 - 1, in decimal']],
    ];
    for (const [path, message] of cases) {
      const response = await audit('GET', path);
      expect({ path, status: response.status, message: response.body.message }).toEqual({
        path,
        status: 400,
        message,
      });
    }
    const unknown = await audit('GET', `/proof/inclusion?eventId=${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toEqual(['eventId: no stored event has this id']);
  });

  it('lets auditors and admins in, keeps publishers and compliance out, and never shows personal data', async () => {
    ledger = await startLedger();
    const [eventId] = await publish(2);
    expect((await audit('POST', '/checkpoint', KEYS.admin)).status).toBe(201);
    expect((await audit('POST', '/checkpoint', KEYS.auditor)).status).toBe(403);
    const routes = [
      '/checkpoint',
      `/proof/inclusion?eventId=${eventId}`,
      '/proof/consistency?from=1&to=2',
      '/leaves?start=0&end=3',
    ];
    for (const route of routes) {
      expect((await audit('GET', route, KEYS.publisher)).status).toBe(403);
      expect((await audit('GET', route, KEYS.compliance)).status).toBe(403);
      expect((await ledger.request('GET', `/v1/audit${route}`)).status).toBe(401);
      expect((await audit('GET', route, KEYS.admin)).status).toBe(200);
      const answer = await audit('GET', route);
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.body);
      const leaves = (answer.body.leaves ?? []).map((l: { leaf: string }) =>
        b64(l.leaf).toString(),
      );
      for (const seen of [text, ...leaves]) {
        expect(seen).not.toContain(EMAIL);
        expect(seen).not.toContain(SUBJECT);
      }
    }
  });
});
