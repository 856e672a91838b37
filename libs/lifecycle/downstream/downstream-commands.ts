import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommandAction, CommandIssuedData } from '../../domain/events/ledger-written-events';
import { ledgerEventId } from '../../domain/policy-versions/policy-version-published';

/** The facts of the saga that other systems must carry out too, and what they are told. */
export const ACTION_OF_FACT: Readonly<Record<string, CommandAction>> = {
  RecordErased: 'erase',
  RecordArchived: 'archive',
  RenewalRequested: 'request-renewal',
};

/**
 * One command per (system, fact): the same pair always gives the same id, so a step redone
 * after a crash issues nothing twice (the log refuses the second), and a receiver that is
 * sent a command again recognises it by this id.
 */
export function commandIdOf(system: string, factEventId: string): string {
  return ledgerEventId(`downstream-command\n${system}\n${factEventId}`);
}

/** The ids of what follows a command: one acknowledgement, one dead letter, ever. */
export function acknowledgementIdOf(commandId: string): string {
  return ledgerEventId(`command-acknowledged\n${commandId}`);
}

export function deadLetterIdOf(commandId: string): string {
  return ledgerEventId(`command-dead-lettered\n${commandId}`);
}

/** What a command owed before it is issued: the rest comes when it is. */
export type OwedCommand = Omit<CommandIssuedData, 'issuedAt' | 'dueBy'>;

export function issueCommand(owed: OwedCommand, now: Date, slaMs: number): CommandIssuedData {
  return {
    ...owed,
    issuedAt: now.toISOString(),
    dueBy: new Date(now.getTime() + slaMs).toISOString(),
  };
}

/**
 * Backoff before the next try, with full jitter (a random delay from 0 to the exponential
 * bound): receivers that came back are not hit by every ledger's retries at the same
 * instant. `random` is in [0, 1).
 */
export function retryDelayMs(
  triesSoFar: number,
  firstMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const bound = Math.min(maxMs, firstMs * 2 ** Math.min(triesSoFar - 1, 40));
  return Math.floor(random() * bound);
}

export const SIGNATURE_HEADER = 'x-ledger-signature';
export const TIMESTAMP_HEADER = 'x-ledger-timestamp';
export const COMMAND_ID_HEADER = 'x-ledger-command-id';

/**
 * `sha256=<hex>` of HMAC-SHA256 under the system's secret, over `<timestamp>.<body>`: the
 * timestamp is signed with the body, so a receiver that refuses old timestamps refuses a
 * replayed request.
 */
export function signCommand(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute, compare in constant time, refuse a stale timestamp. */
export function verifyCommandSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const at = Number(timestamp);
  if (!Number.isInteger(at) || Math.abs(nowSeconds - at) > toleranceSeconds) return false;
  const expected = Buffer.from(signCommand(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** One `SubjectLinkForgotten` per erasure that kept the link. */
export function linkForgottenIdOf(factEventId: string): string {
  return ledgerEventId(`subject-link-forgotten\n${factEventId}`);
}
