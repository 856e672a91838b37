import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  formatCheckpointLine,
  formatLeafLine,
  type BundleManifest,
  type CheckpointLine,
  type PublicKeyFile,
} from './bundle-format';
import { checkpointInLeaf } from './checkpoint-leaf';
import { leafPages, type CheckpointAnswer, type LedgerClient } from './ledger-client';

export interface ExportSummary {
  readonly dir: string;
  readonly leaves: bigint;
  readonly checkpoints: number;
  readonly origin: string;
}

/**
 * Writes a bundle of the log up to its latest signed checkpoint: every leaf a signature
 * covers, nothing the auditor could not check (events after it wait for the next checkpoint).
 * Everything is written in a temporary folder next to `out`, renamed to `out` only once
 * complete: an interrupted export leaves no folder that looks like a bundle.
 */
export async function exportBundle(
  client: LedgerClient,
  out: string,
  now: () => Date = () => new Date(),
): Promise<ExportSummary> {
  const dir = resolve(out);
  if (existsSync(dir)) throw new Error(`${out} already exists: choose a new folder`);
  const publicKey = await client.get<PublicKeyFile>('/v1/audit/public-key');
  const latest = await client.get<CheckpointAnswer>('/v1/audit/checkpoint');
  const size = BigInt(latest.treeSize);

  const partial = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}`);
  mkdirSync(partial, { recursive: false });
  let checkpointCount = 0;
  try {
    const checkpoints = await writeLeaves(client, size, join(partial, BUNDLE_FILES.leaves));
    if (!checkpoints.some((c) => c.eventId === latest.eventId)) {
      checkpoints.push({
        leafIndex: null,
        eventId: latest.eventId,
        signedAt: latest.signedAt,
        note: latest.note,
      });
    }
    checkpointCount = checkpoints.length;
    writeFileSync(
      join(partial, BUNDLE_FILES.checkpoints),
      checkpoints.map(formatCheckpointLine).join(''),
    );
    writeFileSync(join(partial, BUNDLE_FILES.publicKey), `${JSON.stringify(publicKey, null, 2)}\n`);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      origin: latest.origin,
      exportedAt: now().toISOString(),
      source: client.origin,
      leaves: size.toString(),
      checkpoints: checkpoints.length,
    };
    writeFileSync(join(partial, BUNDLE_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  return { dir, leaves: size, checkpoints: checkpointCount, origin: latest.origin };
}

/** Streams the leaves to the file; answers the CheckpointSigned leaves met on the way. */
async function writeLeaves(
  client: LedgerClient,
  size: bigint,
  file: string,
): Promise<CheckpointLine[]> {
  const checkpoints: CheckpointLine[] = [];
  const output = createWriteStream(file);
  const closed = once(output, 'close');
  let expected = 0n;
  try {
    for await (const page of leafPages(client, size)) {
      let chunk = '';
      for (const leaf of page) {
        // The ledger's answer is taken as is, checked only later by `verify`; but a page
        // that skips or repeats leaves is an export error, not a bundle to keep.
        if (leaf.index !== expected.toString()) {
          throw new Error(
            `the ledger answered leaf ${leaf.index} where leaf ${expected} was expected`,
          );
        }
        expected++;
        chunk += formatLeafLine(leaf);
        const checkpoint = checkpointInLeaf(
          leaf.index,
          leaf.eventId,
          Buffer.from(leaf.leaf, 'base64'),
        );
        if (checkpoint) checkpoints.push(checkpoint);
      }
      if (!output.write(chunk)) await once(output, 'drain');
    }
    if (expected !== size) {
      throw new Error(
        `the ledger answered ${expected} leaves, its latest checkpoint covers ${size}`,
      );
    }
  } finally {
    output.end();
    await closed;
  }
  return checkpoints;
}
