import type { Clock } from '../../domain/clock';
import { subjectStreamName } from '../../domain/events/ledger-event';
import type { CommandIssuedData } from '../../domain/events/ledger-written-events';
import { DuplicateEventIdError, type EventStore } from '../../event-store';
import { appendOnce, commandEvent } from './command-events';
import { issueCommand } from './downstream-commands';
import { systemById, type SystemsRegistry } from './downstream-systems';
import type { CommandRow, SqliteCommandStore } from './sqlite-command-store';
import { forEachLimited, groupBy } from '../work-in-parallel';

export interface IssuerDeps {
  readonly store: EventStore;
  readonly commands: SqliteCommandStore;
  readonly registry: SystemsRegistry;
  readonly clock: Clock;
}

const PAGE = 500;
const PARALLEL_SUBJECTS = 32;

/**
 * Writes `CommandIssued` for every fact of the saga whose command to a system is still
 * owed. Fed by the log (the command store's catch-up), not by the saga's steps: a process
 * killed between a fact and its commands finds them owed when it comes back. The event id
 * is the command id, so issuing one again stores nothing.
 */
export async function issueOwedCommands(deps: IssuerDeps): Promise<number> {
  const { store, commands, clock } = deps;
  await commands.catchUp(store);
  let issued = 0;
  for (;;) {
    const owed = commands.owed(PAGE);
    if (owed.length === 0) return issued;
    const now = clock.now();
    const pages = groupBy(owed, (row) => row.subject).map((rows) =>
      rows.map((row) => issued1(deps, row, now)),
    );
    issued += await appendPage(store, pages);
    // The catch-up would say the same; marking them now ends this loop without it.
    commands.markAllIssued(pages.flat());
  }
}

/**
 * A page of commands in one `appendMany` (one commit on SQLite: measured 880 -> see the
 * commit message); when some were issued already (a step redone), subject by subject.
 */
async function appendPage(
  store: EventStore,
  bySubject: readonly (readonly CommandIssuedData[])[],
): Promise<number> {
  try {
    await store.appendMany(
      bySubject.map((commands) => ({
        streamName: subjectStreamName(commands[0].subject),
        expectedRevision: 'any' as const,
        events: commands.map(toEvent),
      })),
    );
    return bySubject.reduce((sum, commands) => sum + commands.length, 0);
  } catch (error) {
    if (!(error instanceof DuplicateEventIdError)) throw error;
  }
  let issued = 0;
  // Subjects side by side: their appends share the writer's commits.
  await forEachLimited(bySubject, PARALLEL_SUBJECTS, async (commands) => {
    const written = await appendAllOnce(store, commands[0].subject, commands);
    issued += written;
  });
  return issued;
}

function toEvent(command: CommandIssuedData) {
  return commandEvent(
    command.commandId,
    'CommandIssued',
    command.subject,
    command.issuedAt,
    command,
  );
}

function issued1(deps: IssuerDeps, row: CommandRow, now: Date): CommandIssuedData {
  const system = systemById(deps.registry, row.system)!;
  const { system: id, commandId, action, subject, recordKey, category, factEventId } = row;
  return issueCommand(
    { system: id, commandId, action, subject, recordKey, category, factEventId },
    now,
    system.acknowledgeWithinMs,
  );
}

/** One append for the subject's commands; one by one when some were issued already. */
async function appendAllOnce(
  store: EventStore,
  subject: string,
  commands: readonly CommandIssuedData[],
): Promise<number> {
  const events = commands.map(toEvent);
  try {
    await store.appendToStream({
      streamName: subjectStreamName(subject),
      expectedRevision: 'any',
      events,
    });
    return events.length;
  } catch (error) {
    if (!(error instanceof DuplicateEventIdError)) throw error;
  }
  let written = 0;
  for (const event of events) if (await appendOnce(store, subject, event)) written++;
  return written;
}
