import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type {
  LifecycleExecutor,
  LifecycleOutcome,
} from '../../../libs/lifecycle/saga/lifecycle-executor';
import { ArchiveRecord, EraseRecord, RequestRenewal } from './lifecycle.commands';

export const LIFECYCLE_EXECUTOR = Symbol('LIFECYCLE_EXECUTOR');

/**
 * The three commands run the same step: the executor decides from the subject's stream what
 * is due for the record (the command's deadline may be stale) and writes it.
 */
@CommandHandler(ArchiveRecord)
export class ArchiveRecordHandler implements ICommandHandler<ArchiveRecord> {
  constructor(@Inject(LIFECYCLE_EXECUTOR) private readonly executor: LifecycleExecutor) {}

  execute(command: ArchiveRecord): Promise<LifecycleOutcome> {
    return this.executor.run(command.pseudonym, command);
  }
}

@CommandHandler(EraseRecord)
export class EraseRecordHandler implements ICommandHandler<EraseRecord> {
  constructor(@Inject(LIFECYCLE_EXECUTOR) private readonly executor: LifecycleExecutor) {}

  execute(command: EraseRecord): Promise<LifecycleOutcome> {
    return this.executor.run(command.pseudonym, command);
  }
}

@CommandHandler(RequestRenewal)
export class RequestRenewalHandler implements ICommandHandler<RequestRenewal> {
  constructor(@Inject(LIFECYCLE_EXECUTOR) private readonly executor: LifecycleExecutor) {}

  execute(command: RequestRenewal): Promise<LifecycleOutcome> {
    return this.executor.run(command.pseudonym, command);
  }
}
