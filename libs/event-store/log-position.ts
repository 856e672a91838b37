import type { LogPosition } from './event-store.port';

export function positionOf(sequence: bigint): LogPosition {
  return { commit: sequence, prepare: sequence };
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit/prepare`, the form checkpoints are stored and printed in. */
export function formatPosition(position: LogPosition): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): LogPosition {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`not a log position: ${JSON.stringify(text)}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
