import { verifyConsistency, verifyInclusion } from '../merkle';
import type { PublicKeyFile } from './bundle-format';
import { checkpointInLeaf } from './checkpoint-leaf';
import { InclusionWitness } from './inclusion-witness';
import { leafPages, type CheckpointAnswer, type LedgerClient } from './ledger-client';
import { LogReplay } from './log-replay';
import { describeCheckpoint, openCheckpoint, type TrustedCheckpoint } from './trusted-checkpoints';
import {
  summaryLines,
  trustedVerifier,
  type VerifyOptions,
  type VerifyReport,
} from './verify-report';

const b64 = (text: string) => Buffer.from(text, 'base64');

interface LateCheckpoint {
  readonly checkpoint: TrustedCheckpoint;
  readonly size: bigint;
  readonly root: Buffer;
}

/**
 * The bundle's checks against a running ledger, leaves streamed page by page up to the
 * latest checkpoint. The checkpoints are found in the leaves themselves (CheckpointSigned
 * events), so their sizes are not known in advance: one whose size the replay is at is
 * compared with the recomputed root at once; one signed over a smaller tree (the log grew
 * between signing and recording) is checked with the ledger's consistency proof from its
 * size to the replay's, verified against the recomputed root, which the ledger cannot fake.
 */
export async function verifyLive(
  client: LedgerClient,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const started = performance.now();
  const warnings: string[] = [];
  const problems: string[] = [];
  const publicKey = await client.get<PublicKeyFile>('/v1/audit/public-key');
  const trusted = trustedVerifier(
    options.verifierKey,
    publicKey.verifierKey,
    `${client.origin} serves`,
    warnings,
  );
  const answer = await client.get<CheckpointAnswer>('/v1/audit/checkpoint');
  const latest = openCheckpoint({ leafIndex: null, ...answer }, trusted);
  if (typeof latest === 'string') {
    return { ok: false, warnings, problems: [latest], lines: [] };
  }

  const targets = new Set(options.inclusion);
  const witness = new InclusionWitness(targets, false);
  const replay = new LogReplay([latest], witness);
  const seen = new Set<string>([latest.eventId]);
  let checkpointsFound = 1;
  for await (const page of leafPages(client, latest.treeSize)) {
    const late: LateCheckpoint[] = [];
    for (const leaf of page) {
      const bytes = b64(leaf.leaf);
      const line = checkpointInLeaf(leaf.index, leaf.eventId, bytes);
      if (line && !seen.has(line.eventId)) {
        seen.add(line.eventId);
        checkpointsFound++;
        const opened = openCheckpoint(line, trusted);
        if (typeof opened === 'string') problems.push(opened);
        else if (opened.treeSize === BigInt(replay.size)) replay.compare(opened, replay.root());
        else if (opened.treeSize > BigInt(replay.size)) {
          problems.push(
            `${describeCheckpoint(opened.treeSize, opened.signedAt)}: recorded as leaf ${leaf.index}, before the leaves it signs`,
          );
        } else late.push({ checkpoint: opened, size: BigInt(replay.size), root: replay.root() });
      }
      if (!replay.add({ index: leaf.index, eventId: leaf.eventId, bytes })) break;
    }
    for (const each of late) await checkLate(client, replay, each, problems);
    if (!replay.readable) break;
    if (page.length === 0) break;
  }
  if (replay.readable) replay.finish();
  problems.push(...replay.problems);

  const lines = summaryLines({
    leaves: replay.size,
    checkpointsChecked: replay.matched.length,
    checkpointsListed: checkpointsFound,
    latest: replay.matched.includes(latest) ? latest : undefined,
    recomputedRoot: replay.root(),
    seconds: (performance.now() - started) / 1000,
  });
  for (const eventId of targets) {
    lines.push(...(await checkInclusion(client, witness, eventId, latest, problems)));
  }
  return { ok: problems.length === 0, warnings, problems, lines };
}

async function checkLate(
  client: LedgerClient,
  replay: LogReplay,
  { checkpoint, size, root }: LateCheckpoint,
  problems: string[],
): Promise<void> {
  const proof = await client.get<{ hashes: string[] }>(
    `/v1/audit/proof/consistency?from=${checkpoint.treeSize}&to=${size}`,
  );
  if (
    verifyConsistency(checkpoint.treeSize, size, proof.hashes.map(b64), checkpoint.rootHash, root)
  ) {
    replay.matched.push(checkpoint);
    return;
  }
  problems.push(
    `${describeCheckpoint(checkpoint.treeSize, checkpoint.signedAt)}: its root is not the root of ` +
      `the first ${checkpoint.treeSize} leaves (no consistency proof to the leaves' root at ${size}): ` +
      'a leaf before it was changed, removed or reordered',
  );
}

async function checkInclusion(
  client: LedgerClient,
  witness: InclusionWitness,
  eventId: string,
  latest: TrustedCheckpoint,
  problems: string[],
): Promise<string[]> {
  const found = witness.leafOf(eventId);
  if (!found) {
    problems.push(
      `event ${eventId}: not among the ${latest.treeSize} leaves of the latest checkpoint`,
    );
    return [];
  }
  const proof = await client.get<{ leafIndex: string; hashes: string[] }>(
    `/v1/audit/proof/inclusion?eventId=${encodeURIComponent(eventId)}&treeSize=${latest.treeSize}`,
  );
  // The proof is checked with the hash of the leaf as streamed, never the ledger's leafHash.
  const index = BigInt(proof.leafIndex);
  if (
    index !== found.index ||
    !verifyInclusion(index, latest.treeSize, found.hash, proof.hashes.map(b64), latest.rootHash)
  ) {
    problems.push(
      `event ${eventId} (leaf ${found.index}): the ledger's inclusion proof does not lead to the root of the checkpoint at size ${latest.treeSize}`,
    );
    return [];
  }
  return [
    `included: event ${eventId} is leaf ${found.index} of the checkpoint at size ${latest.treeSize}`,
  ];
}
