/**
 * The systems outside the ledger that hold copies of personal data (the platform's
 * database, its CRM, the analytics warehouse, ticketing), as configuration names them
 * (`LEDGER_SYSTEMS`). The ledger tells each of them to erase, archive or ask for renewal
 * whenever it does so for a record of a category the system holds.
 */
export interface DownstreamSystem {
  /** Lower-case letters, digits and dashes: it appears in URLs and command ids. */
  readonly id: string;
  readonly categories: readonly string[];
  /** The acknowledgement SLA as written (`P2D`), and in milliseconds. */
  readonly acknowledgeWithin: string;
  readonly acknowledgeWithinMs: number;
  readonly delivery: WebhookDelivery | PullDelivery;
}

/** The ledger POSTs each command to the system, signed, until a 2xx or `maxTries`. */
export interface WebhookDelivery {
  readonly kind: 'webhook';
  readonly url: string;
  /** Key of the HMAC-SHA256 signature; never logged, never in the log. */
  readonly secret: string;
  readonly maxTries: number;
  /** Backoff before try n+1: a random delay up to min(max, first * 2^(n-1)) (full jitter). */
  readonly backoffFirstMs: number;
  readonly backoffMaxMs: number;
}

/** The system fetches its commands (`GET /v1/systems/{id}/commands`) and acknowledges each. */
export interface PullDelivery {
  readonly kind: 'pull';
}

export interface SystemsRegistry {
  /** Where it was read from; undefined when no file was configured (no system). */
  readonly file?: string;
  readonly systems: readonly DownstreamSystem[];
}

export const NO_SYSTEMS: SystemsRegistry = { systems: [] };

export function systemById(registry: SystemsRegistry, id: string): DownstreamSystem | undefined {
  return registry.systems.find((s) => s.id === id);
}

export function systemsHolding(registry: SystemsRegistry, category: string): DownstreamSystem[] {
  return registry.systems.filter((s) => s.categories.includes(category));
}

/**
 * What the commands owed depend on: which system holds which category. A change replays
 * the log, so that a system added later is told of what was erased before it came (it may
 * hold old copies).
 */
export function registrySettings(registry: SystemsRegistry): string {
  return JSON.stringify(
    [...registry.systems]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((s) => [s.id, [...s.categories].sort()]),
  );
}
