import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ed25519NoteSigner,
  formatCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
} from '../libs/audit/checkpoint';
import { run, type CliIo } from '../src/cli';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const BATCHES = 6;
const PER_BATCH = 50;

function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    serve: async () => undefined,
  };
  return { io, out, err };
}

async function cli(...argv: string[]) {
  const { io, out, err } = cliIo();
  const code = await run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const writeLines = (file: string, all: string[]) => writeFileSync(file, `${all.join('\n')}\n`);

/**
 * The auditor's tool against a real ledger: a clean log verifies from a bundle and from the
 * URL; each kind of tampering is caught and named by its position.
 */
describe('ledger audit export and ledger verify', () => {
  let ledger: Ledger;
  let dataDir: string;
  let work: string;
  let bundle: string;
  let verifierKey: string;
  const eventIds: string[] = [];
  const sizes: bigint[] = [];

  const publishBatch = async (batch: number) => {
    const events = Array.from({ length: PER_BATCH }, (_, i) => {
      const eventId = randomUUID();
      eventIds.push(eventId);
      const first = batch === 0 && i === 0;
      return {
        eventId,
        type: first ? 'AccountCreated' : 'LastActivity',
        subjectId: `user-audit-${batch}-${i % 7}`,
        occurredAt: '2024-06-01T10:00:00Z',
        source: 'marketplace-api',
        data: first ? { role: 'member' } : {},
        ...(first ? { personalData: { identification: { email: 'a@example.fr' } } } : {}),
      };
    });
    const response = await ledger.request('POST', '/v1/events', {
      key: KEYS.publisher,
      body: { events },
    });
    expect({ status: response.status, message: response.body.message }).toEqual({ status: 201 });
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
    dataDir = join(work, 'data');
    ledger = await startLedger({ dataDir });
    for (let batch = 0; batch < BATCHES; batch++) {
      await publishBatch(batch);
      const signed = await ledger.request('POST', '/v1/audit/checkpoint', { key: KEYS.admin });
      expect(signed.status).toBe(201);
      sizes.push(BigInt(signed.body.treeSize));
    }
    verifierKey = (await ledger.request('GET', '/v1/audit/public-key', { key: KEYS.auditor })).body
      .verifierKey;
    bundle = join(work, 'bundle');
    const exported = await cli(
      'audit',
      'export',
      '--url',
      ledger.url,
      '--key',
      KEYS.auditor,
      '--out',
      bundle,
    );
    expect(exported).toMatchObject({ code: 0 });
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const tampered = (name: string) => {
    const copy = join(work, name);
    cpSync(bundle, copy, { recursive: true });
    return copy;
  };

  it('exports every leaf up to the latest checkpoint, and every checkpoint signed', () => {
    const manifest = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'ledger-audit-bundle/1',
      leaves: String(sizes.at(-1)),
    });
    const leaves = lines(join(bundle, 'leaves.ndjson')).map((l) => JSON.parse(l));
    expect(leaves).toHaveLength(Number(sizes.at(-1)));
    expect(leaves.map((l) => l.index)).toEqual(leaves.map((_, i) => String(i)));
    const checkpoints = lines(join(bundle, 'checkpoints.ndjson')).map((l) => JSON.parse(l));
    const verifier = parseVerifierKey(verifierKey);
    expect(
      checkpoints.map((c) => parseCheckpoint(openNote(c.note, [verifier]).body).treeSize),
    ).toEqual(sizes);
  });

  it('verifies a clean bundle, with inclusion proofs computed from it', async () => {
    const result = await cli(
      'verify',
      bundle,
      '--verifier-key',
      verifierKey,
      '--inclusion',
      eventIds[0],
      '--inclusion',
      eventIds[123],
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`leaves: ${sizes.at(-1)}`);
    expect(result.out).toContain(`checkpoints: ${BATCHES} of ${BATCHES} signed by the trusted key`);
    expect(result.out).toContain(`included: event ${eventIds[123]} is leaf`);
    expect(result.out).toContain('verified: ok');
  });

  it('verifies the live ledger over HTTP, with the key from LEDGER_AUDIT_KEY', async () => {
    process.env.LEDGER_AUDIT_KEY = KEYS.auditor;
    try {
      const result = await cli(
        'verify',
        '--url',
        ledger.url,
        '--verifier-key',
        verifierKey,
        '--inclusion',
        eventIds[200],
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toContain(`included: event ${eventIds[200]} is leaf`);
      expect(result.out).toContain('verified: ok');
    } finally {
      delete process.env.LEDGER_AUDIT_KEY;
    }
  });

  it("warns when the only key is the bundle's own", async () => {
    const result = await cli('verify', bundle);
    expect(result.code).toBe(0);
    expect(result.err).toContain('WARNING: no --verifier-key given');
  });

  it('names a deleted leaf', async () => {
    const copy = tampered('deleted');
    const all = lines(join(copy, 'leaves.ndjson'));
    all.splice(100, 1);
    writeLines(join(copy, 'leaves.ndjson'), all);
    const result = await cli('verify', copy, '--verifier-key', verifierKey);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'MISMATCH: leaf 101: index out of order (leaf 100 was expected here)',
    );
  });

  it('names the checkpoint range of two swapped events', async () => {
    const copy = tampered('swapped');
    const all = lines(join(copy, 'leaves.ndjson')).map((l) => JSON.parse(l));
    const [a, b] = [all[160], all[161]];
    all[160] = { ...b, index: a.index };
    all[161] = { ...a, index: b.index };
    writeLines(
      join(copy, 'leaves.ndjson'),
      all.map((l) => JSON.stringify(l)),
    );
    const result = await cli('verify', copy, '--verifier-key', verifierKey);
    expect(result.code).toBe(1);
    const covering = sizes.find((size) => size > 161n)!;
    const before = [...sizes].reverse().find((size) => size <= 160n)!;
    expect(result.err).toContain(`MISMATCH: checkpoint at size ${covering} (signed `);
    expect(result.err).toContain(
      `root differs from the leaves ${before}..${covering} (last matching checkpoint at ${before})`,
    );
  });

  it('names a truncated log', async () => {
    const copy = tampered('truncated');
    const all = lines(join(copy, 'leaves.ndjson'));
    writeLines(join(copy, 'leaves.ndjson'), all.slice(0, all.length - 30));
    const result = await cli('verify', copy, '--verifier-key', verifierKey);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(
        `the log has ${all.length - 30} leaves but the checkpoint at size ${sizes.at(-1)} .* says more: truncated`,
      ),
    );
  });

  it('names a checkpoint signed by another key', async () => {
    const copy = tampered('other-key');
    const file = join(copy, 'checkpoints.ndjson');
    const all = lines(file).map((l) => JSON.parse(l));
    const trusted = parseVerifierKey(verifierKey);
    const body = openNote(all[2].note, [trusted]).body;
    const other = ed25519NoteSigner(trusted.name, generateKeyPairSync('ed25519').privateKey);
    all[2] = { ...all[2], note: signNote(formatCheckpoint(parseCheckpoint(body)), other) };
    writeLines(
      file,
      all.map((l) => JSON.stringify(l)),
    );
    const result = await cli('verify', copy, '--verifier-key', verifierKey);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `MISMATCH: checkpoint at size ${sizes[2]} (signed ${all[2].signedAt}): not signed by the trusted key ` +
        `${trusted.name}+${trusted.keyId.toString('hex')} (signed by ${other.name}+${other.keyId.toString('hex')})`,
    );
  });

  it('names the first checkpoint after one byte flipped in events.db', async () => {
    await ledger.close();
    // The event's id inside its stored JSON (the id column holds it too, without the key).
    const marker = `"eventId":"${eventIds[2 * PER_BATCH + 10]}"`;
    const file = ['events.db', 'events.db-wal']
      .map((name) => join(dataDir, name))
      .find((path) => {
        try {
          return readFileSync(path).includes(marker);
        } catch {
          return false;
        }
      });
    expect(file).toBeDefined();
    const bytes = readFileSync(file!);
    const at = bytes.indexOf(marker) + marker.length - 2;
    bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30; // one hex digit of the id: still valid JSON
    writeFileSync(file!, bytes);
    ledger = await startLedger({ dataDir });

    const flipped = join(work, 'flipped');
    expect(
      (await cli('audit', 'export', '--url', ledger.url, '--key', KEYS.auditor, '--out', flipped))
        .code,
    ).toBe(0);
    const target = lines(join(bundle, 'leaves.ndjson'))
      .map((l) => JSON.parse(l))
      .findIndex((l) => l.eventId === eventIds[2 * PER_BATCH + 10]);
    const covering = sizes.find((size) => size > BigInt(target))!;
    const before = [...sizes].reverse().find((size) => size <= BigInt(target))!;
    const expected = `root differs from the leaves ${before}..${covering} (last matching checkpoint at ${before})`;
    for (const argv of [[flipped], ['--url', ledger.url, '--key', KEYS.auditor]]) {
      const result = await cli('verify', ...argv, '--verifier-key', verifierKey);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`MISMATCH: checkpoint at size ${covering} (signed `);
      expect(result.err).toContain(expected);
    }
  }, 60_000);
});
