import { ApiKeyConfigError, type ApiKey } from '../auth/api-keys';
import {
  systemById,
  type SystemsRegistry,
} from '../../../libs/lifecycle/downstream/downstream-systems';

/** A `system:<id>` key for a system the registry does not name is a typo: refuse to start. */
export function checkSystemKeys(keys: ApiKey[], registry: SystemsRegistry): ApiKey[] {
  for (const key of keys) {
    if (key.system !== undefined && !systemById(registry, key.system)) {
      throw new ApiKeyConfigError(
        `LEDGER_API_KEYS has a key for system "${key.system}", which LEDGER_SYSTEMS does not name`,
      );
    }
  }
  return keys;
}
