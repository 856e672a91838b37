import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  ed25519NoteSigner,
  formatCheckpoint,
  rawPublicKey,
  signNote,
  verifierKeyString,
  noteKeyId,
} from '../../libs/audit/checkpoint';
import { leafHash, TreeFrontier } from '../../libs/audit/merkle';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  formatCheckpointLine,
  formatLeafLine,
  type CheckpointLine,
} from '../../libs/audit/verifier';

const ORIGIN = 'bench.ledger.example/audit';
const KEY_NAME = 'bench.ledger.example';

/** A stored event as the ledger writes it: ids, dates, a pseudonym and sealed personal data. */
function eventBytes(eventId: string, n: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: 1,
      eventId,
      type: n % 30 === 0 ? 'AccountCreated' : 'LastActivity',
      occurredAt: '2024-06-01T10:00:00.000Z',
      recordedAt: '2024-06-01T10:00:01.000Z',
      source: 'marketplace-api',
      subject: `ps_${randomBytes(16).toString('hex')}`,
      data: { channel: 'web' },
      sealed: {
        key: `k_${randomBytes(8).toString('hex')}`,
        iv: randomBytes(12).toString('base64'),
        data: randomBytes(130).toString('base64'),
      },
    }),
  );
}

export interface GeneratedBundle {
  readonly leaves: number;
  readonly checkpoints: number;
  readonly verifierKey: string;
  /** Every `sampleEvery`-th leaf's bytes, for the bare hashing loop. */
  readonly sample: Buffer[];
  readonly meanLeafBytes: number;
}

/**
 * Writes a bundle of `events` events in the exporter's exact format, with a checkpoint
 * (signed, and recorded as a CheckpointSigned leaf right after it) every `every` events;
 * `events` a multiple of `every`, so that the bundle ends at a checkpoint, as exported.
 * Built here rather than through HTTP: a million events through the API would take the
 * bench's time on publishing, not on verifying.
 */
export async function writeAuditBundle(
  dir: string,
  events: number,
  every: number,
  sampleEvery: number,
): Promise<GeneratedBundle> {
  mkdirSync(dir);
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  const signer = ed25519NoteSigner(KEY_NAME, privateKey);
  const publicKey = rawPublicKey(privateKey);
  const frontier = TreeFrontier.empty();
  const checkpoints: CheckpointLine[] = [];
  const sample: Buffer[] = [];
  let bytesTotal = 0;
  const output = createWriteStream(join(dir, BUNDLE_FILES.leaves));
  let chunk = '';
  const add = async (eventId: string, bytes: Buffer) => {
    const index = Number(frontier.size);
    if (index % sampleEvery === 0) sample.push(bytes);
    bytesTotal += bytes.length;
    frontier.append(leafHash(bytes));
    chunk += formatLeafLine({ index: String(index), eventId, leaf: bytes.toString('base64') });
    if (chunk.length > 1 << 20) {
      if (!output.write(chunk)) await once(output, 'drain');
      chunk = '';
    }
  };
  for (let n = 1; n <= events; n++) {
    await add(randomUUID(), eventBytes(randomUUID(), n));
    if (n % every === 0) {
      const size = frontier.size;
      const note = signNote(
        formatCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: frontier.root() }),
        signer,
      );
      const eventId = randomUUID();
      const signedAt = new Date().toISOString();
      // As the exporter does: the bundle ends at the latest checkpoint's size, so that
      // checkpoint's own leaf (recorded after it) is not in the bundle.
      const last = n === events;
      checkpoints.push({ leafIndex: last ? null : size.toString(), eventId, signedAt, note });
      if (last) break;
      const recorded = {
        v: 1,
        eventId,
        type: 'CheckpointSigned',
        occurredAt: signedAt,
        recordedAt: signedAt,
        source: 'ledger',
        data: { origin: ORIGIN, treeSize: size.toString(), note },
      };
      await add(eventId, Buffer.from(JSON.stringify(recorded)));
    }
  }
  output.end(chunk);
  await once(output, 'close');
  writeFileSync(
    join(dir, BUNDLE_FILES.checkpoints),
    checkpoints.map(formatCheckpointLine).join(''),
  );
  writeFileSync(
    join(dir, BUNDLE_FILES.publicKey),
    JSON.stringify({
      algorithm: 'Ed25519',
      publicKey: publicKey.toString('base64'),
      verifierKey: verifierKeyString(KEY_NAME, publicKey),
      keyId: noteKeyId(KEY_NAME, publicKey).toString('hex'),
      name: KEY_NAME,
    }),
  );
  const leaves = Number(frontier.size);
  writeFileSync(
    join(dir, BUNDLE_FILES.manifest),
    JSON.stringify({
      format: BUNDLE_FORMAT,
      origin: ORIGIN,
      exportedAt: new Date().toISOString(),
      source: 'bench',
      leaves: String(leaves),
      checkpoints: checkpoints.length,
    }),
  );
  return {
    leaves,
    checkpoints: checkpoints.length,
    verifierKey: verifierKeyString(KEY_NAME, publicKey),
    sample,
    meanLeafBytes: Math.round(bytesTotal / leaves),
  };
}
