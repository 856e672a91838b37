import type { ModuleMetadata, Provider } from '@nestjs/common';
import type { MasterKey } from '../../libs/crypto/master-key';
import { SYSTEMS_REGISTRY } from '../../libs/lifecycle/downstream/downstream.tokens';
import type { SystemsRegistry } from '../../libs/lifecycle/downstream/downstream-systems';
import { ApiModule } from './api.module';
import { API_KEYS } from './auth/api-key.guard';
import { parseApiKeys } from './auth/api-keys';
import { REQUEST_DIGEST_KEY } from './publishing-events/publish-events.handler';
import { checkSystemKeys } from './systems/system-keys';

/**
 * What the composition root adds when the ledger serves HTTP: the API's module, the API keys
 * (each system's checked against the systems file) and the key of the request digests.
 */
export function apiParts(
  apiKeys: string,
  masterKey: MasterKey,
): Required<Pick<ModuleMetadata, 'imports' | 'providers' | 'exports'>> {
  const providers: Provider[] = [
    {
      provide: API_KEYS,
      inject: [SYSTEMS_REGISTRY],
      useFactory: (systems: SystemsRegistry) => checkSystemKeys(parseApiKeys(apiKeys), systems),
    },
    { provide: REQUEST_DIGEST_KEY, useValue: masterKey.derive('ledger/v1/request-digest-key') },
  ];
  return { imports: [ApiModule], providers, exports: [API_KEYS, REQUEST_DIGEST_KEY] };
}
