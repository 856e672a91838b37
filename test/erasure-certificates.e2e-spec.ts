import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LifecycleSaga } from '../apps/worker/lifecycle/lifecycle-saga.service';
import { verifyCertificate } from '../libs/audit/certificate/verify-certificate';
import {
  ed25519NoteSigner,
  ed25519PrivateKeyFromSeed,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  rawPublicKey,
  signNote,
  verifierKeyString,
} from '../libs/audit/checkpoint';
import { leafHash, verifyInclusion } from '../libs/audit/merkle';
import { SignedCheckpoints } from '../libs/audit/signed-checkpoints';
import { run } from '../src/cli';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const EMAIL = 'erased.member@example.fr';
const SUBJECT = 'user-erasure-cert-31';

const b64 = (text: string) => Buffer.from(text, 'base64');
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/**
 * The erasure log and its certificates, checked as an outside auditor would: with the
 * published key, RFC 9162 and `verifyCertificate` (or `ledger verify --certificate`), never
 * with the ledger's word. A member's account is archived, then its usage data erased by the
 * saga on a clock moved forward, as in the lifecycle saga's own test.
 */
describe('erasure certificates', () => {
  let ledger: Ledger;
  let folder: string;
  let created: { eventId: string };
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'certificates-'));
    ledger = await startLedger({ now: '2024-03-01T10:00:00Z' });
    created = {
      eventId: randomUUID(),
    };
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: {
        eventId: created.eventId,
        type: 'AccountCreated',
        subjectId: SUBJECT,
        occurredAt: '2024-03-01T10:00:00Z',
        source: 'marketplace-api',
        data: { role: 'member' },
        personalData: { identification: { email: EMAIL }, usage: { plan: 'pro' } },
      },
    });
    expect(response.status).toBe(201);
    const sweepAt = async (instant: string) => {
      ledger.clock.set(new Date(instant));
      return ledger.app.get(LifecycleSaga).sweep();
    };
    expect((await sweepAt('2026-03-02T00:00:00Z')).outcomes).toEqual({ archived: 1 });
    expect((await sweepAt('2029-03-02T00:00:00Z')).outcomes).toEqual({ 'renewal-requested': 1 });
    expect((await sweepAt('2031-03-02T00:00:00Z')).outcomes).toEqual({ archived: 1, erased: 1 });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const get = (path: string, key: string = KEYS.auditor) => ledger.request('GET', path, { key });
  const trustedKey = async () =>
    (await get('/v1/audit/public-key', KEYS.publisher)).body.verifierKey as string;
  const erasedId = async () => {
    const { body } = await get('/v1/compliance/erasures');
    return body.items.find((item: any) => item.type === 'RecordErased').eventId as string;
  };
  const cli = async (certificate: unknown, ...more: string[]) => {
    const file = join(folder, `${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(certificate));
    const out: string[] = [];
    const code = await run(['verify', '--certificate', file, ...more], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      serve: async () => undefined,
    });
    return { code, out: out.join('\n') };
  };
  const expectNoPersonalData = (answer: unknown) => {
    const text = JSON.stringify(answer);
    // Every base64 value decoded too: leaves are stored bytes, they must not hide it either.
    const decoded = [...text.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)].map((m) =>
      b64(m[1]).toString('utf8'),
    );
    for (const seen of [text, ...decoded]) {
      expect(seen).not.toContain(EMAIL);
      expect(seen).not.toContain(SUBJECT);
    }
  };

  it('lists erasures and archivings, oldest first, each with a proof against a signed checkpoint', async () => {
    const verifier = parseVerifierKey(await trustedKey());
    const list = await get('/v1/compliance/erasures');
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    const items = list.body.items;
    expect(items.map((i: any) => [i.type, i.category, i.recordedAt])).toEqual([
      ['RecordArchived', 'usage', '2026-03-02T00:00:00.000Z'],
      expect.arrayContaining(['2031-03-02T00:00:00.000Z']),
      expect.arrayContaining(['2031-03-02T00:00:00.000Z']),
    ]);
    expect(items.map((i: any) => i.type).sort()).toEqual([
      'RecordArchived',
      'RecordArchived',
      'RecordErased',
    ]);
    // No checkpoint covered them: one was signed for the answer.
    expect((await ledger.app.get(SignedCheckpoints).latest())?.trigger).toBe('certificate');

    for (const item of items) {
      expect(item.policyVersion).toBe('2023-01-24');
      expect(item.because).toContain(created.eventId);
      expect(item.recordKey).toBeUndefined();
      const checkpoint = parseCheckpoint(openNote(item.checkpoint.note, [verifier]).body);
      expect(item.inclusion.treeSize).toBe(checkpoint.treeSize.toString());
      expect(item.inclusion.rootHash).toBe(checkpoint.rootHash.toString('base64'));
      // The leaf hash is the hash of the stored leaf, as the leaves route serves it.
      const index = BigInt(item.leafIndex);
      const leaves = await get(`/v1/audit/leaves?start=${index}&end=${index + 1n}`);
      expect(leaves.body.leaves[0].eventId).toBe(item.eventId);
      const hash = leafHash(b64(leaves.body.leaves[0].leaf));
      expect(hash.toString('base64')).toBe(item.inclusion.leafHash);
      expect(
        verifyInclusion(
          index,
          checkpoint.treeSize,
          hash,
          item.inclusion.hashes.map(b64),
          checkpoint.rootHash,
        ),
      ).toBe(true);
    }
    expectNoPersonalData(list.body);

    // Compliance sees the record keys; an answer again needs no new checkpoint.
    const forCompliance = await get('/v1/compliance/erasures', KEYS.compliance);
    expect(forCompliance.status).toBe(200);
    expect(forCompliance.body.items.map((i: any) => i.recordKey)).toEqual([
      'account',
      'account',
      'account',
    ]);
    expect(forCompliance.body.items[0].checkpoint).toEqual(items[0].checkpoint);
    expectNoPersonalData(forCompliance.body);
  }, 30_000);

  it('pages with a cursor and filters by when the ledger recorded the fact', async () => {
    const all = (await get('/v1/compliance/erasures')).body.items.map((i: any) => i.eventId);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=1&cursor=${cursor}` : 'limit=1';
      const page = await get(`/v1/compliance/erasures?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      paged.push(page.body.items[0].eventId);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const late = await get('/v1/compliance/erasures?from=2031-01-01T00:00:00Z');
    expect(late.body.items.map((i: any) => i.eventId)).toEqual(all.slice(1));
    const early = await get(
      '/v1/compliance/erasures?from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00.001Z',
    );
    expect(early.body.items.map((i: any) => i.eventId)).toEqual(all.slice(0, 1));
    // Bounds finer than the stored milliseconds: the first fact was at .000, before both.
    const finer = await get('/v1/compliance/erasures?from=2026-03-02T00:00:00.000001Z');
    expect(finer.body.items.map((i: any) => i.eventId)).toEqual(all.slice(1));
    const before = await get('/v1/compliance/erasures?to=2026-03-02T00:00:00.000001Z');
    expect(before.body.items.map((i: any) => i.eventId)).toEqual(all.slice(0, 1));
  }, 30_000);

  it('certifies an erasure so that it verifies offline, with the function and the CLI', async () => {
    const key = await trustedKey();
    const eventId = await erasedId();
    const response = await get(`/v1/compliance/erasures/${eventId}`);
    expect(response.status).toBe(200);
    const certificate = response.body;
    expect(certificate).toMatchObject({
      format: 'ledger-erasure-certificate',
      version: 1,
      erasure: { eventId, type: 'RecordErased', category: 'usage', because: [created.eventId] },
      policy: { version: '2023-01-24' },
      verifierKey: { verifierKey: key },
    });
    expect(certificate.evidence.map((e: any) => e.eventId)).toEqual([created.eventId]);
    expect(certificate.erasure.recordKey).toBeUndefined();

    const verdict = verifyCertificate(certificate, key);
    expect(verdict).toMatchObject({
      ok: true,
      problems: [],
      summary: {
        eventId,
        type: 'RecordErased',
        category: 'usage',
        evidence: 1,
        policyVersion: '2023-01-24',
        policySha256: certificate.policy.sha256,
        signatureCheckedWith: 'trusted key',
      },
    });
    // Without a key of the reader's own, the certificate's key is used, and the summary says so.
    expect(verifyCertificate(certificate).summary.signatureCheckedWith).toBe('embedded key');

    const checked = await cli(certificate, '--verifier-key', key);
    expect(checked.code).toBe(0);
    expect(checked.out).toContain(`ok: RecordErased ${eventId}`);
    // The key may also be a file: what GET /v1/audit/public-key answered, saved.
    const keyFile = join(folder, 'public-key.json');
    writeFileSync(keyFile, JSON.stringify((await get('/v1/audit/public-key')).body));
    expect((await cli(certificate, '--verifier-key', keyFile)).code).toBe(0);
    const untrusted = await cli(certificate);
    expect(untrusted.code).toBe(0);
    expect(untrusted.out).toContain('warning: the checkpoint was checked with the key inside');

    // Compliance's certificate names the record, and verifies as well.
    const forCompliance = await get(`/v1/compliance/erasures/${eventId}`, KEYS.compliance);
    expect(forCompliance.body.erasure.recordKey).toBe('account');
    expect(verifyCertificate(forCompliance.body, key).ok).toBe(true);

    expectNoPersonalData(certificate);
    expectNoPersonalData(forCompliance.body);

    // An archiving has its certificate too.
    const list = await get('/v1/compliance/erasures');
    const archived = list.body.items.find((i: any) => i.type === 'RecordArchived').eventId;
    const archiving = await get(`/v1/compliance/erasures/${archived}`);
    expect(verifyCertificate(archiving.body, key)).toMatchObject({ ok: true });
  }, 30_000);

  it('names what is wrong in a tampered certificate', async () => {
    const key = await trustedKey();
    const certificate = (await get(`/v1/compliance/erasures/${await erasedId()}`)).body;
    const [evidenceId] = certificate.erasure.because;
    const tampered: [string, (c: any) => void, RegExp][] = [
      [
        'a flipped byte in the erasure leaf',
        (c) => {
          const leaf = b64(c.erasure.leaf);
          leaf[leaf.indexOf('usage')] ^= 1;
          c.erasure.leaf = leaf.toString('base64');
        },
        /^erasure: the inclusion proof of leaf \d+ does not lead to the checkpoint's root/,
      ],
      [
        'a flipped byte in an evidence leaf',
        (c) => {
          const leaf = b64(c.evidence[0].leaf);
          leaf[leaf.length - 3] ^= 1;
          c.evidence[0].leaf = leaf.toString('base64');
        },
        /^evidence\[0\] \([^)]+\): the inclusion proof of leaf \d+ does not lead/,
      ],
      [
        'an evidence event removed',
        (c) => c.evidence.splice(0, 1),
        new RegExp(`^evidence: no proven leaf for ${evidenceId}, named in because$`),
      ],
      [
        'a because id removed from the claims',
        (c) => (c.erasure.because = []),
        /^erasure: because \[\] is not what the leaf says/,
      ],
      [
        'a wrong policy sha256',
        (c) => (c.policy.sha256 = '0'.repeat(64)),
        /^policy: sha256 "0{64}" is not the leaf's \([0-9a-f]{64}\)$/,
      ],
      [
        'a claimed date that is not the leaf',
        (c) => (c.erasure.dueAt = '2040-01-01T00:00:00.000Z'),
        /^erasure: dueAt "2040-01-01T00:00:00.000Z" is not what the leaf says/,
      ],
      [
        'a checkpoint signed with another key',
        (c) => {
          const { origin } = c.checkpoint;
          const other = ed25519PrivateKeyFromSeed(Buffer.alloc(32, 99));
          const body = `${c.checkpoint.note.split('\n\n')[0]}\n`;
          c.checkpoint.note = signNote(body, ed25519NoteSigner(origin, other));
          c.verifierKey.verifierKey = verifierKeyString(origin, rawPublicKey(other));
        },
        /^checkpoint: note has no signature by a known key/,
      ],
    ];
    for (const [what, tamper, problem] of tampered) {
      const copy = clone(certificate);
      tamper(copy);
      const verdict = verifyCertificate(copy, key);
      expect({ what, ok: verdict.ok }).toEqual({ what, ok: false });
      expect({ what, problems: verdict.problems }).toEqual({
        what,
        problems: expect.arrayContaining([expect.stringMatching(problem)]),
      });
      const checked = await cli(copy, '--verifier-key', key);
      expect({ what, code: checked.code }).toEqual({ what, code: 1 });
      for (const line of verdict.problems) expect(checked.out).toContain(line);
    }
  }, 30_000);

  it('answers 400, 404 and 401/403 clearly', async () => {
    const eventId = await erasedId();
    const bad: [string, string[]][] = [
      [
        '?from=yesterday',
        ['from: must be a real UTC instant in ISO 8601 form, like 2027-01-01T00:00:00Z'],
      ],
      [
        '?to=2026-02-30T00:00:00Z',
        ['to: must be a real UTC instant in ISO 8601 form, like 2027-01-01T00:00:00Z'],
      ],
      [
        '?from=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
        ['to: must not be before from (2027-01-01T00:00:00Z)'],
      ],
      ['?limit=0', ['limit: must be a whole number from 1 to 1000']],
      ['?cursor=bm9wZQ', ['cursor: must be a nextCursor this route returned']],
      ['?cursor=no%20pe', ['cursor: must be a nextCursor this route returned']],
      ['/not-a-uuid', ['eventId: must be a UUID']],
    ];
    for (const [suffix, message] of bad) {
      const answer = await get(`/v1/compliance/erasures${suffix}`);
      expect({ suffix, status: answer.status, message: answer.body.message }).toEqual({
        suffix,
        status: 400,
        message,
      });
    }
    const unknown = await get(`/v1/compliance/erasures/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toEqual(['eventId: no stored event has this id']);
    const notAnErasure = await get(`/v1/compliance/erasures/${created.eventId}`);
    expect(notAnErasure.status).toBe(404);
    expect(notAnErasure.body.message).toEqual([
      'eventId: the event is a AccountCreated, not an erasure or an archiving (RecordErased, RecordArchived)',
    ]);

    const openapi = await ledger.request('GET', '/docs-json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/compliance/erasures', '/v1/compliance/erasures/{eventId}']),
    );

    for (const path of ['/v1/compliance/erasures', `/v1/compliance/erasures/${eventId}`]) {
      expect((await get(path, KEYS.publisher)).status).toBe(403);
      expect((await ledger.request('GET', path)).status).toBe(401);
      for (const key of [KEYS.compliance, KEYS.auditor, KEYS.admin]) {
        expect((await get(path, key)).status).toBe(200);
      }
    }
  }, 30_000);
});
