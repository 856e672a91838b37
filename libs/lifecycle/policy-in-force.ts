/** What the choice of a version needs to know of it. */
export interface DatedVersion {
  /** ISO-8601 UTC instant from which the version governs. */
  readonly effectiveFrom: string;
}

/**
 * The version that governs at `now`, from the versions in the order the ledger published
 * them: the latest `effectiveFrom` not after `now`; of two with the same date, the one
 * published last (a corrected file replaces the one it corrects).
 *
 * Before the first version takes effect, the one that takes effect first governs: the
 * ledger needs rules from its first event, and the operator chose them by publishing.
 * Undefined only when nothing was published.
 */
export function versionInForce<V extends DatedVersion>(
  versions: readonly V[],
  now: Date,
): V | undefined {
  const at = now.getTime();
  let inForce: V | undefined;
  for (const version of versions) {
    const from = Date.parse(version.effectiveFrom);
    if (from > at) continue;
    if (!inForce || from >= Date.parse(inForce.effectiveFrom)) inForce = version;
  }
  return inForce ?? earliest(versions);
}

function earliest<V extends DatedVersion>(versions: readonly V[]): V | undefined {
  let first: V | undefined;
  for (const version of versions) {
    if (!first || Date.parse(version.effectiveFrom) < Date.parse(first.effectiveFrom)) {
      first = version;
    }
  }
  return first;
}
