import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { join } from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { WorkerModule } from '../apps/worker/worker.module';
import { SWEEP_INTERVAL_MS } from '../apps/worker/worker.tokens';
import { KEY_VAULT } from '../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../libs/crypto/key-vault.port';
import { parseMasterKey } from '../libs/crypto/master-key';
import { CLOCK, type Clock } from '../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../libs/event-store';
import { COMMAND_STORE, SYSTEMS_REGISTRY } from '../libs/lifecycle/downstream/downstream.tokens';
import type { SystemsRegistry } from '../libs/lifecycle/downstream/downstream-systems';
import { SqliteCommandStore } from '../libs/lifecycle/downstream/sqlite-command-store';
import { loadSystemsFile } from '../libs/lifecycle/downstream/systems-file';
import { PolicyBook } from '../libs/lifecycle/policy-book';
import { loadPolicyFile, POLICY, type Policy } from '../libs/policy';
import { AuditProofs } from '../libs/audit/audit-proofs';
import {
  AUDIT_PUBLIC_KEY,
  AUDIT_TREE,
  CHECKPOINT_SCHEDULE,
  type AuditPublicKey,
} from '../libs/audit/audit.tokens';
import { ed25519NoteSigner, loadSigningKey, rawPublicKey } from '../libs/audit/checkpoint';
import { createPublicKey } from 'node:crypto';
import { SignedCheckpoints } from '../libs/audit/signed-checkpoints';
import { SqliteAuditTree } from '../libs/audit/tree-store/sqlite-audit-tree';
import { SqliteSubjectContent } from '../libs/compliance/subject-content/sqlite-subject-content';
import { SUBJECT_CONTENT } from '../libs/compliance/subject-content/subject-content.tokens';
import {
  CheckpointProgress,
  READ_STORE,
  RETENTION_SCHEDULE_RUNNER,
  SqliteReadStore,
  type ReadStore,
} from '../libs/projections';
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
  /** Serve the API (default); false: the worker alone (`apps/worker/main.ts`). */
  readonly http?: boolean;
  /**
   * `here` (default): the projections run in this Nest application. `elsewhere`: another
   * thread or process runs them on the same files; API reads wait on their checkpoint.
   */
  readonly projections?: 'here' | 'elsewhere';
}

/** Closes what the module opened, after Nest stopped taking requests. */
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(COMMAND_STORE) private readonly commands: SqliteCommandStore,
    @Inject(AUDIT_TREE) private readonly auditTree: SqliteAuditTree,
    @Inject(SUBJECT_CONTENT) private readonly subjectContent: SqliteSubjectContent,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.vault.close();
    await this.readStore.close();
    await this.commands.close();
    this.auditTree.close();
    this.subjectContent.close();
  }
}

/**
 * SQLite page cache of read-models.db per connection, in MB. The projections write every
 * subject's rows: 8 MB keeps the hot pages (a miss costs a read from the OS's cache, not the
 * disk). The API reads one subject or one page of deadlines at a time: 1 MB is enough. Each
 * MB is resident once the file outgrows it (32 MB, the rebuild's figure, made the ledger's
 * RSS 24 MB larger after 40,000 events; measured).
 */
const READ_STORE_CACHE_MB = { here: 8, elsewhere: 1 } as const;

/**
 * The composition root: which adapters, which keys, which clock. The worker (projections)
 * always runs; the API too unless `http` is false. The worker's exports (the projection's
 * progress, that API reads wait on) are re-exported, so they are global like the rest.
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    const { config, secrets, clock, logDestination, http = true, projections = 'here' } = options;
    const projectionModules = projections === 'here' ? [WorkerModule] : [];
    const projectionProgress =
      projections === 'here'
        ? []
        : [
            {
              provide: RETENTION_SCHEDULE_RUNNER,
              inject: [EVENT_STORE, READ_STORE],
              useFactory: (store: EventStore, read: ReadStore) =>
                new CheckpointProgress(store, read, 'retention-schedule'),
            },
          ];
    const masterKey = parseMasterKey(secrets.masterKey);
    const stores = openStores(config, masterKey);
    const readStore = SqliteReadStore.open(
      config.store === 'memory' ? ':memory:' : join(config.dataDir, 'read-models.db'),
      { cacheMb: READ_STORE_CACHE_MB[projections] },
    );
    // Where the projections run elsewhere (the worker thread writes the tree), this
    // connection only serves proofs: mapped (SqliteAuditTree.open says why).
    const auditTree = SqliteAuditTree.open(
      config.store === 'memory' ? ':memory:' : join(config.dataDir, 'audit-tree.db'),
      { forProofs: projections === 'elsewhere' },
    );
    const subjectContent = SqliteSubjectContent.open(
      config.store === 'memory' ? ':memory:' : join(config.dataDir, 'subject-content.db'),
    );
    const signingKey = loadSigningKey({
      configured: config.auditSigningKey,
      dataDir: config.dataDir,
      localMode: config.localMode,
    });
    const noteSigner = ed25519NoteSigner(config.auditOrigin, signingKey);
    const auditPublicKey: AuditPublicKey = {
      name: config.auditOrigin,
      publicKey: rawPublicKey(createPublicKey(signingKey)),
    };
    const api = http
      ? loadApiParts().apiParts(secrets.apiKeys, masterKey)
      : { imports: [], providers: [], exports: [] };
    return {
      module: LedgerModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        LoggerModule.forRoot(loggerParams(config.logLevel, logDestination)),
        ...projectionModules,
        ...api.imports,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: stores.eventStore },
        { provide: KEY_VAULT, useValue: stores.keyVault },
        { provide: READ_STORE, useValue: readStore },
        { provide: CLOCK, useValue: clock },
        { provide: POLICY, useFactory: () => loadPolicyFile(config.policyFile) },
        {
          provide: SYSTEMS_REGISTRY,
          inject: [POLICY],
          useFactory: (policy: Policy) =>
            loadSystemsFile(config.systemsFile, Object.keys(policy.categories)),
        },
        {
          provide: COMMAND_STORE,
          inject: [SYSTEMS_REGISTRY],
          useFactory: (systems: SystemsRegistry) =>
            SqliteCommandStore.open(
              config.store === 'memory' ? ':memory:' : join(config.dataDir, 'downstream.db'),
              systems,
            ),
        },
        {
          provide: PolicyBook,
          inject: [EVENT_STORE, CLOCK],
          useFactory: (store: EventStore, now: Clock) => new PolicyBook(store, now),
        },
        { provide: SWEEP_INTERVAL_MS, useValue: config.sweepIntervalMs },
        { provide: AUDIT_TREE, useValue: auditTree },
        { provide: SUBJECT_CONTENT, useValue: subjectContent },
        { provide: AUDIT_PUBLIC_KEY, useValue: auditPublicKey },
        {
          provide: CHECKPOINT_SCHEDULE,
          useValue: { every: config.checkpointEvery, intervalMs: config.checkpointIntervalMs },
        },
        {
          provide: SignedCheckpoints,
          inject: [EVENT_STORE, CLOCK],
          useFactory: (store: EventStore, now: Clock) =>
            new SignedCheckpoints({
              store,
              tree: auditTree,
              signer: noteSigner,
              origin: config.auditOrigin,
              clock: now,
            }),
        },
        {
          provide: AuditProofs,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new AuditProofs(store, auditTree),
        },
        ...api.providers,
        ...projectionProgress,
        StoreLifecycle,
      ],
      exports: [
        EVENT_STORE,
        KEY_VAULT,
        READ_STORE,
        CLOCK,
        POLICY,
        SYSTEMS_REGISTRY,
        COMMAND_STORE,
        PolicyBook,
        SWEEP_INTERVAL_MS,
        AUDIT_TREE,
        SUBJECT_CONTENT,
        AUDIT_PUBLIC_KEY,
        CHECKPOINT_SCHEDULE,
        SignedCheckpoints,
        AuditProofs,
        ...api.exports,
        ...(projections === 'here' ? [WorkerModule] : [RETENTION_SCHEDULE_RUNNER]),
      ],
    };
  }
}

/**
 * The API (its routes, DTOs, class-validator and validator.js, the OpenAPI decorators) is
 * loaded only when the ledger serves HTTP: the worker's thread or process would otherwise
 * hold it in its heap for nothing (an idle worker: 12.7 MB of heap used against 20.6, 927
 * modules loaded against 1,495; measured). The linter keeps static API imports out of here.
 */
function loadApiParts(): typeof import('../apps/api/api-parts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../apps/api/api-parts') as typeof import('../apps/api/api-parts');
}
