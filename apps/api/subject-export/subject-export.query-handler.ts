import { availableParallelism } from 'node:os';
import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  exportSubject,
  type SubjectExportDependencies,
} from '../../../libs/compliance/subject-export/export-subject';
import { ContentOpeners } from '../../../libs/compliance/subject-export/content-openers';
import type { SqliteSubjectContent } from '../../../libs/compliance/subject-content/sqlite-subject-content';
import { SUBJECT_CONTENT } from '../../../libs/compliance/subject-content/subject-content.tokens';
import type { SubjectExport } from '../../../libs/compliance/subject-export/subject-export.types';
import { KEY_VAULT } from '../../../libs/crypto/key-vault.tokens';
import type { KeyVault } from '../../../libs/crypto/key-vault.port';
import { CLOCK, type Clock } from '../../../libs/domain/clock';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store';
import { PolicyBook } from '../../../libs/lifecycle/policy-book';
import { POLICY, type Policy } from '../../../libs/policy';
import { READ_STORE, type ReadStore } from '../../../libs/projections';
import { UnknownSubjectError } from '../subjects/known-subject';
import { SubjectExportQuery } from './subject-export.query';

@QueryHandler(SubjectExportQuery)
export class SubjectExportQueryHandler
  implements IQueryHandler<SubjectExportQuery>, OnModuleDestroy
{
  private readonly deps: SubjectExportDependencies;
  // One thread per core: opening sealed values is CPU work that splits evenly.
  private readonly openers = new ContentOpeners(availableParallelism());

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(KEY_VAULT) vault: KeyVault,
    @Inject(CLOCK) clock: Clock,
    @Inject(POLICY) configured: Policy,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(SUBJECT_CONTENT) content: SqliteSubjectContent,
    book: PolicyBook,
  ) {
    // The version in force as the log recorded it; the configured file until the worker
    // has published it (the first seconds of a fresh ledger).
    this.deps = {
      store,
      vault,
      clock,
      readStore,
      openers: this.openers,
      content,
      policy: async () => (await book.inForce()) ?? configured,
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.openers.close();
  }

  async execute({ subjectId }: SubjectExportQuery): Promise<SubjectExport> {
    const answer = await exportSubject(this.deps, subjectId);
    if (answer === undefined) throw new UnknownSubjectError();
    return answer;
  }
}
