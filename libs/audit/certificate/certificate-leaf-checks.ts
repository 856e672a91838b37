import { createHash } from 'node:crypto';
import { decodeLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { POLICY_VERSION_PUBLISHED } from '../../domain/policy-versions/policy-version-published';
import type { Checkpoint } from '../checkpoint';
import { decodeStrictBase64 } from '../checkpoint/strict-base64';
import { leafHash, verifyInclusion } from '../merkle';
import { CERTIFIED_FACT_TYPES } from './erasure-certificate';

// The checks of a certificate's leaves, for `verifyCertificate`: each pushes one line per
// problem into `problems` and never throws on bad input.

/** A leaf whose inclusion was checked, decoded (undefined when its bytes are not an event). */
export interface CheckedLeaf {
  readonly label: string;
  readonly claimedId?: string;
  readonly index?: bigint;
  readonly event?: LedgerEventV1;
}

export type Json = Record<string, unknown>;
export const isObject = (x: unknown): x is Json =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const DECIMAL = /^(0|[1-9]\d*)$/;

/** Decodes one `{ eventId, leafIndex, leaf, hashes }`, checks its proof, then its event id. */
export function checkLeaf(
  label: string,
  entry: unknown,
  checkpoint: Checkpoint | undefined,
  problems: string[],
): CheckedLeaf {
  if (!isObject(entry)) {
    problems.push(`${label}: missing`);
    return { label };
  }
  const claimedId = typeof entry.eventId === 'string' ? entry.eventId : undefined;
  const leaf = typeof entry.leaf === 'string' ? decodeStrictBase64(entry.leaf) : undefined;
  const index =
    typeof entry.leafIndex === 'string' && DECIMAL.test(entry.leafIndex)
      ? BigInt(entry.leafIndex)
      : undefined;
  const hashes = Array.isArray(entry.hashes)
    ? entry.hashes.map((h) => (typeof h === 'string' ? decodeStrictBase64(h) : undefined))
    : undefined;
  if (leaf === undefined) problems.push(`${label}: leaf is not canonical base64`);
  if (index === undefined) problems.push(`${label}: leafIndex is not a decimal number`);
  if (!hashes || hashes.some((h) => h === undefined)) {
    problems.push(`${label}: hashes is not a list of base64 hashes`);
  }
  if (leaf === undefined) return { label, claimedId, index };
  if (checkpoint && index !== undefined && hashes && hashes.every((h) => h !== undefined)) {
    const included = verifyInclusion(
      index,
      checkpoint.treeSize,
      leafHash(leaf),
      hashes as Buffer[],
      checkpoint.rootHash,
    );
    if (!included) {
      problems.push(
        `${label}: the inclusion proof of leaf ${index} does not lead to the checkpoint's root ` +
          `(tree size ${checkpoint.treeSize})`,
      );
    }
  }
  let event: LedgerEventV1 | undefined;
  try {
    event = decodeLedgerEvent(leaf);
  } catch (error) {
    problems.push(`${label}: the leaf is not a stored ledger event (${(error as Error).message})`);
    return { label, claimedId, index };
  }
  if (event.eventId !== claimedId) {
    problems.push(`${label}: the leaf is event ${event.eventId}, not ${String(claimedId)}`);
  }
  return { label, claimedId, index, event };
}

/** Every field the certificate states about the fact must be what its leaf says. */
export function checkFact(
  claimed: Json,
  event: LedgerEventV1,
  problems: string[],
  summary: Partial<Record<'eventId' | 'type' | 'recordedAt' | 'category' | 'dueAt', string>>,
): void {
  if (!(CERTIFIED_FACT_TYPES as readonly string[]).includes(event.type)) {
    problems.push(`erasure: the leaf is a ${event.type}, not ${CERTIFIED_FACT_TYPES.join(' or ')}`);
  }
  const stored: Json = { ...event.data, type: event.type, recordedAt: event.recordedAt };
  const fields = [
    'type',
    'recordedAt',
    'category',
    'policyVersion',
    'purposes',
    'dueAt',
    'because',
  ];
  // The record key is shown to some roles only; when shown, it must be the stored one.
  if ('recordKey' in claimed) fields.push('recordKey');
  for (const field of fields) {
    if (JSON.stringify(claimed[field]) !== JSON.stringify(stored[field])) {
      problems.push(
        `erasure: ${field} ${JSON.stringify(claimed[field])} is not what the leaf says (${JSON.stringify(stored[field])})`,
      );
    }
  }
  Object.assign(summary, {
    eventId: event.eventId,
    type: event.type,
    recordedAt: event.recordedAt,
    category: String(event.data.category),
    dueAt: String(event.data.dueAt),
  });
}

/** The `because` ids as the fact's own leaf holds them (the claims may have been edited). */
export function factBecause(event: LedgerEventV1 | undefined): string[] | undefined {
  const because = event?.data.because;
  return Array.isArray(because) && because.every((id) => typeof id === 'string')
    ? because
    : undefined;
}

/** The evidence leaves are exactly the events the fact's own leaf names, each before it. */
export function checkEvidence(
  because: readonly string[],
  fact: CheckedLeaf,
  leaves: readonly CheckedLeaf[],
  problems: string[],
): void {
  const proven = new Set(leaves.flatMap((leaf) => (leaf.event ? [leaf.event.eventId] : [])));
  for (const id of because) {
    if (!proven.has(id)) problems.push(`evidence: no proven leaf for ${id}, named in because`);
  }
  for (const leaf of leaves) {
    if (leaf.event && !because.includes(leaf.event.eventId)) {
      problems.push(`${leaf.label}: event ${leaf.event.eventId} is not named in because`);
    }
    if (leaf.index !== undefined && fact.index !== undefined && leaf.index >= fact.index) {
      problems.push(
        `${leaf.label}: leaf ${leaf.index} does not come before the fact's (${fact.index})`,
      );
    }
  }
}

/** The policy leaf publishes the version the fact applied, with the SHA-256 of its text. */
export function checkPolicy(
  claimed: Json,
  leaf: CheckedLeaf,
  fact: CheckedLeaf,
  problems: string[],
  summary: Partial<Record<'policyVersion' | 'policySha256', string>>,
): void {
  const event = leaf.event;
  if (!event) return;
  if (event.type !== POLICY_VERSION_PUBLISHED) {
    problems.push(`policy: the leaf is a ${event.type}, not ${POLICY_VERSION_PUBLISHED}`);
    return;
  }
  const { version, sha256, text } = event.data as Record<string, unknown>;
  const applied = fact.event?.data.policyVersion;
  if (fact.event && version !== applied) {
    problems.push(
      `policy: the leaf publishes version ${String(version)}, the fact applied ${String(applied)}`,
    );
  }
  if (claimed.version !== version) {
    problems.push(
      `policy: version ${JSON.stringify(claimed.version)} is not the leaf's (${String(version)})`,
    );
  }
  if (claimed.sha256 !== sha256) {
    problems.push(
      `policy: sha256 ${JSON.stringify(claimed.sha256)} is not the leaf's (${String(sha256)})`,
    );
  }
  const actual =
    typeof text === 'string' ? createHash('sha256').update(text, 'utf8').digest('hex') : '';
  if (actual !== sha256) {
    problems.push(
      `policy: the SHA-256 of the leaf's policy text is ${actual}, not ${String(sha256)}`,
    );
  }
  if (leaf.index !== undefined && fact.index !== undefined && leaf.index >= fact.index) {
    problems.push(`policy: leaf ${leaf.index} does not come before the fact's (${fact.index})`);
  }
  summary.policyVersion = String(version);
  summary.policySha256 = String(sha256);
}
