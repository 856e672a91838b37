import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiModule } from '../apps/api/api.module';
import { API_KEYS } from '../apps/api/auth/api-key.guard';
import { parseApiKeys } from '../apps/api/auth/api-keys';
import { REQUEST_DIGEST_KEY } from '../apps/api/publishing-events/publish-events.handler';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { parseMasterKey } from '../libs/crypto/master-key';
import { CLOCK, type Clock } from '../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../libs/event-store';
import { loadPolicyFile, POLICY } from '../libs/policy';
import type { LedgerConfig } from './config/ledger-config';
import type { Secrets } from './config/local-secrets';
import { loggerParams } from './logging';
import { openStores } from './open-stores';

export interface LedgerModuleOptions {
  readonly config: LedgerConfig;
  readonly secrets: Secrets;
  readonly clock: Clock;
  /** Where logs go; stdout when absent (tests capture them to check what they hold). */
  readonly logDestination?: DestinationStream;
}

/** Closes what the module opened, after Nest stopped taking requests. */
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.vault.close();
  }
}

/** The composition root: which adapters, which keys, which clock. */
@Module({})
export class LedgerModule {
  static forRoot({ config, secrets, clock, logDestination }: LedgerModuleOptions): DynamicModule {
    const masterKey = parseMasterKey(secrets.masterKey);
    const stores = openStores(config, masterKey);
    return {
      module: LedgerModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        LoggerModule.forRoot(loggerParams(config.logLevel, logDestination)),
        ApiModule,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: stores.eventStore },
        { provide: KEY_VAULT, useValue: stores.keyVault },
        { provide: CLOCK, useValue: clock },
        { provide: POLICY, useFactory: () => loadPolicyFile(config.policyFile) },
        { provide: API_KEYS, useFactory: () => parseApiKeys(secrets.apiKeys) },
        { provide: REQUEST_DIGEST_KEY, useValue: masterKey.derive('ledger/v1/request-digest-key') },
        StoreLifecycle,
      ],
      exports: [EVENT_STORE, KEY_VAULT, CLOCK, POLICY, API_KEYS, REQUEST_DIGEST_KEY],
    };
  }
}
