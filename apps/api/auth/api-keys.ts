import { createHash, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from './roles';

export interface ApiKey {
  readonly role: Role;
  /** For the `system` role: the one downstream system the key may act for. */
  readonly system?: string;
  /** SHA-256 of the key: equal lengths for timingSafeEqual, and no key kept in clear. */
  readonly digest: Buffer;
}

export class ApiKeyConfigError extends Error {
  readonly code = 'CONFIG.API_KEYS';
}

const MIN_KEY_LENGTH = 16;

/**
 * `publisher=<key>,compliance=<key>,...`, a role may appear several times. Errors name the
 * entry's position and the role, never the key.
 */
export function parseApiKeys(text: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, index) => {
    const separator = entry.indexOf('=');
    const scoped = separator > 0 ? entry.slice(0, separator).trim() : '';
    const key = separator > 0 ? entry.slice(separator + 1).trim() : '';
    const where = `LEDGER_API_KEYS entry ${index + 1}`;
    const systemScope = /^system:([a-z0-9][a-z0-9-]{0,62})$/.exec(scoped);
    const role = systemScope ? 'system' : scoped;
    if (!isRole(role) || (role === 'system' && !systemScope)) {
      throw new ApiKeyConfigError(
        `${where}: the role must be one of publisher, compliance, auditor, admin, system:<system id>`,
      );
    }
    if (key.length < MIN_KEY_LENGTH) {
      throw new ApiKeyConfigError(
        `${where} (${role}): a key needs at least ${MIN_KEY_LENGTH} characters`,
      );
    }
    keys.push({ role, digest: digestOf(key), ...(systemScope ? { system: systemScope[1] } : {}) });
  });
  if (keys.length === 0) throw new ApiKeyConfigError('LEDGER_API_KEYS holds no key');
  return keys;
}

/**
 * The roles of a presented key. Compares against every configured key, always all of them,
 * in constant time each, so the answer's timing says nothing about which part matched.
 */
export function rolesOfKey(keys: readonly ApiKey[], presented: string): Set<Role> {
  const digest = digestOf(presented);
  const roles = new Set<Role>();
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest)) roles.add(key.role);
  }
  return roles;
}

/** The downstream systems a presented key may act for (`system:<id>` keys); same timing rule. */
export function systemsOfKey(keys: readonly ApiKey[], presented: string): Set<string> {
  const digest = digestOf(presented);
  const systems = new Set<string>();
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && key.system !== undefined) systems.add(key.system);
  }
  return systems;
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
