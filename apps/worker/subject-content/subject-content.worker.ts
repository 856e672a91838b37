import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { SqliteSubjectContent } from '../../../libs/compliance/subject-content/sqlite-subject-content';
import { SubjectContentRunner } from '../../../libs/compliance/subject-content/subject-content-runner';
import { SUBJECT_CONTENT } from '../../../libs/compliance/subject-content/subject-content.tokens';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { logFailure } from '../log-failure';

/**
 * Keeps the subject-content read model (what an export shows of each record's values)
 * level with the log. Runs where the other projections run (the worker).
 */
@Injectable()
export class SubjectContentWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('subject-content');
  private readonly runner: SubjectContentRunner;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(KEY_VAULT) vault: KeyVault,
    @Inject(SUBJECT_CONTENT) content: SqliteSubjectContent,
  ) {
    this.runner = new SubjectContentRunner(store, vault, content, {
      onError: logFailure(this.logger, 'the projection failed; it will run again'),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.runner.stop();
  }
}
