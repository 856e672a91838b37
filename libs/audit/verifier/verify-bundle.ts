import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  parseCheckpointLine,
  type BundleManifest,
  type CheckpointLine,
  type PublicKeyFile,
} from './bundle-format';
import { ChunkReplay } from './chunk-replay';
import { InclusionWitness } from './inclusion-witness';
import { hashLeafChunks, leafHashingFor, type LeafHashing } from './leaf-hashing';
import { LogReplay } from './log-replay';
import { openCheckpoint, type TrustedCheckpoint } from './trusted-checkpoints';
import {
  summaryLines,
  trustedVerifier,
  type VerifyOptions,
  type VerifyReport,
} from './verify-report';

/**
 * Checks an exported bundle offline: every checkpoint's signature with the trusted key, then
 * one pass over leaves.ndjson rebuilding the tree and comparing its root at each
 * checkpoint's size, then the inclusion of the events asked for.
 */
export async function verifyBundle(
  dir: string,
  options: VerifyOptions,
  /** How to read leaves.ndjson (tests choose); by default, by the file's size. */
  hashing?: LeafHashing,
): Promise<VerifyReport> {
  const started = performance.now();
  const warnings: string[] = [];
  const problems: string[] = [];
  const manifest = JSON.parse(
    readFileSync(join(dir, BUNDLE_FILES.manifest), 'utf8'),
  ) as BundleManifest;
  if (manifest.format !== BUNDLE_FORMAT) {
    throw new Error(`${dir}: not a ${BUNDLE_FORMAT} bundle (format ${String(manifest.format)})`);
  }
  const publicKey = JSON.parse(
    readFileSync(join(dir, BUNDLE_FILES.publicKey), 'utf8'),
  ) as PublicKeyFile;
  const trusted = trustedVerifier(
    options.verifierKey,
    publicKey.verifierKey,
    `in the bundle's ${BUNDLE_FILES.publicKey}`,
    warnings,
  );

  const listed = new Map<number, CheckpointLine>();
  const checkpoints: TrustedCheckpoint[] = [];
  let checkpointLines = 0;
  readLines(readFileSync(join(dir, BUNDLE_FILES.checkpoints), 'utf8'), (text, number) => {
    const line = parseCheckpointLine(text);
    if (typeof line === 'string') {
      problems.push(`${BUNDLE_FILES.checkpoints} line ${number}: ${line}`);
      return;
    }
    checkpointLines++;
    if (line.leafIndex !== null) listed.set(Number(line.leafIndex), line);
    const opened = openCheckpoint(line, trusted);
    if (typeof opened === 'string') problems.push(opened);
    else if (opened.origin !== manifest.origin) {
      problems.push(
        `checkpoint at size ${opened.treeSize}: origin "${opened.origin}", not the log's "${manifest.origin}"`,
      );
    } else checkpoints.push(opened);
  });

  const targets = new Set(options.inclusion);
  const witness = targets.size > 0 ? new InclusionWitness(targets, true) : undefined;
  const replay = new LogReplay(checkpoints, witness);
  const leavesFile = join(dir, BUNDLE_FILES.leaves);
  const reading = hashing ?? leafHashingFor(statSync(leavesFile).size);
  const leaves = new ChunkReplay(listed, replay, problems, reading.chunkLeaves);
  await hashLeafChunks(
    leavesFile,
    reading,
    (position) => leaves.wants(position),
    (chunk) => leaves.add(chunk),
  );
  if (replay.readable) replay.finish();
  problems.push(...replay.problems);

  const latest = replay.matched.at(-1);
  if (!latest) {
    // Not after a broken leaf: then no checkpoint matching is only its consequence.
    if (replay.readable) {
      problems.push(
        'no checkpoint signed by the trusted key matches the leaves: nothing here is vouched for',
      );
    }
  } else if (BigInt(replay.size) > latest.treeSize) {
    warnings.push(
      `leaves ${latest.treeSize}..${replay.size} come after the latest checkpoint: no signature covers them`,
    );
  }
  const lines = summaryLines({
    leaves: replay.size,
    checkpointsChecked: replay.matched.length,
    checkpointsListed: checkpointLines,
    latest,
    recomputedRoot: replay.root(),
    seconds: (performance.now() - started) / 1000,
  });
  for (const eventId of targets) {
    const found = witness!.leafOf(eventId);
    if (!found) problems.push(`event ${eventId}: not in the bundle's leaves`);
    else if (!latest || found.index >= latest.treeSize) {
      problems.push(
        `event ${eventId} (leaf ${found.index}): no checkpoint that matched covers it yet`,
      );
    } else {
      const problem = witness!.check(eventId, latest);
      if (problem) problems.push(problem);
      else
        lines.push(
          `included: event ${eventId} is leaf ${found.index} of the checkpoint at size ${latest.treeSize}`,
        );
    }
  }
  return { ok: problems.length === 0, warnings, problems, lines };
}

function readLines(text: string, each: (line: string, number: number) => void): void {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => each(line, i + 1));
}
