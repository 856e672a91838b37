import type { Clock } from '../domain/clock';
import type { EventStore, StreamRevision } from '../event-store';
import { POLICY_STREAM } from '../domain/policy-versions/policy-version-published';
import { parsePolicy } from '../policy/load-policy';
import type { Policy } from '../policy/policy';
import { versionInForce } from './policy-in-force';
import { readPolicyVersions, type PublishedPolicyVersion } from './policy-versions';

/**
 * The policy versions the ledger has published, read from its log, and the one in force at
 * the clock's now. The rules come from the text recorded in the log, not from the file at
 * hand: every process of the ledger then follows the same version, and a version published
 * ahead of its date waits for it.
 */
export class PolicyBook {
  /** By SHA-256: a version's text never changes, parsing it once is enough. */
  private readonly parsed = new Map<string, Policy>();
  /** The versions as last read, and the stream revision they were read at. */
  private versions?: { readonly revision: StreamRevision; readonly list: PublishedPolicyVersion[] };

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /** The policy in force now; undefined while the ledger has published none. */
  async inForce(): Promise<Policy | undefined> {
    const version = versionInForce(await this.publishedVersions(), this.clock.now());
    return version && this.policyOf(version);
  }

  /**
   * Read again only when the stream moved: the saga asks for every record it acts on, and
   * rereading and decoding the texts each time was a tenth of an erasure (profiled).
   */
  private async publishedVersions(): Promise<PublishedPolicyVersion[]> {
    const revision = await this.store.streamRevision(POLICY_STREAM);
    if (revision === undefined) return [];
    if (this.versions?.revision !== revision) {
      this.versions = { revision, list: await readPolicyVersions(this.store) };
    }
    return this.versions.list;
  }

  policyOf(version: PublishedPolicyVersion): Policy {
    const known = this.parsed.get(version.sha256);
    if (known) return known;
    const policy = parsePolicy(
      Buffer.from(version.text, 'utf8'),
      `policy ${version.version} (event ${version.eventId})`,
    );
    if (policy.sha256 !== version.sha256) {
      // The text was recorded with its hash: a mismatch means the log was altered.
      throw new PolicyTextMismatchError(version.version);
    }
    this.parsed.set(version.sha256, policy);
    return policy;
  }
}

export class PolicyTextMismatchError extends Error {
  readonly code = 'POLICY.TEXT_MISMATCH';
  constructor(version: string) {
    super(`the text recorded for policy ${version} does not match its SHA-256`);
    this.name = 'PolicyTextMismatchError';
  }
}
