import type { Clock } from '../../domain/clock';
import { encodeLedgerEvent, subjectStreamName } from '../../domain/events/ledger-event';
import type {
  CommandAcknowledgedData,
  CommandDeadLetteredData,
  DownstreamCommandDataByType,
  DownstreamCommandEventType,
} from '../../domain/events/ledger-written-events';
import { DuplicateEventIdError, type EventStore, type EventToAppend } from '../../event-store';
import { acknowledgementIdOf, deadLetterIdOf } from './downstream-commands';
import type { CommandRow, SqliteCommandStore } from './sqlite-command-store';

/** A command event as the log stores it, in the subject's stream. */
export function commandEvent(
  eventId: string,
  type: DownstreamCommandEventType,
  subject: string,
  at: string,
  data: DownstreamCommandDataByType[DownstreamCommandEventType],
): EventToAppend {
  const event = {
    v: 1 as const,
    eventId,
    type,
    subject,
    occurredAt: at,
    recordedAt: at,
    source: 'ledger',
    data: { ...data },
  };
  return { eventId, type, data: encodeLedgerEvent(event) };
}

/**
 * Appends to the subject's stream wherever it stands (these facts decide nothing about the
 * subject); an id already stored means a step redone after a crash: nothing to do.
 * False when it was already there.
 */
export async function appendOnce(
  store: EventStore,
  subject: string,
  event: EventToAppend,
): Promise<boolean> {
  try {
    await store.appendToStream({
      streamName: subjectStreamName(subject),
      expectedRevision: 'any',
      events: [event],
    });
    return true;
  } catch (error) {
    if (error instanceof DuplicateEventIdError) return false;
    throw error;
  }
}

/** `CommandAcknowledged`, once per command whoever says it first (webhook or pull). */
export async function acknowledgeCommand(
  deps: { store: EventStore; commands: SqliteCommandStore; clock: Clock },
  command: CommandRow,
  via: CommandAcknowledgedData['via'],
): Promise<{ acknowledgedAt: string; duplicate: boolean }> {
  const acknowledgedAt = deps.clock.now().toISOString();
  const data: CommandAcknowledgedData = {
    system: command.system,
    commandId: command.commandId,
    acknowledgedAt,
    via,
  };
  const eventId = acknowledgementIdOf(command.commandId);
  const event = commandEvent(eventId, 'CommandAcknowledged', command.subject, acknowledgedAt, data);
  const written = await appendOnce(deps.store, command.subject, event);
  deps.commands.moveTo(command.commandId, 'acknowledged', acknowledgedAt);
  return { acknowledgedAt, duplicate: !written };
}

export async function deadLetterCommand(
  deps: { store: EventStore; commands: SqliteCommandStore; clock: Clock },
  command: CommandRow,
  tries: number,
  lastError: string,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const data: CommandDeadLetteredData = {
    system: command.system,
    commandId: command.commandId,
    tries,
    lastError,
    deadLetteredAt: at,
  };
  const eventId = deadLetterIdOf(command.commandId);
  await appendOnce(
    deps.store,
    command.subject,
    commandEvent(eventId, 'CommandDeadLettered', command.subject, at, data),
  );
  deps.commands.moveTo(command.commandId, 'dead-lettered');
}
