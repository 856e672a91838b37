import { Command } from '@nestjs/cqrs';
import type { LifecycleOutcome } from '../../../libs/lifecycle/saga/lifecycle-executor';

/** One record of one subject whose next action the deadlines index says is due. */
abstract class LifecycleCommand extends Command<LifecycleOutcome> {
  constructor(
    readonly pseudonym: string,
    readonly recordKey: string,
    readonly category: string,
    /** The deadline that triggered it; the handler decides again from the log. */
    readonly dueAt: string,
  ) {
    super();
  }
}

export class ArchiveRecord extends LifecycleCommand {}
export class EraseRecord extends LifecycleCommand {}
export class RequestRenewal extends LifecycleCommand {}
