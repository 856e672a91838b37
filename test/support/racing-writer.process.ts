import { isEventStoreError, type ExpectedRevision } from '../../libs/event-store';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store';

/*
 * A child process that writes to a SQLite event log when its parent says so (IPC), for the
 * racing-writers test: two of these on one file are two OS processes with a writer each.
 * Bigints travel as decimal strings (IPC messages are JSON).
 */

export type WriterCommand =
  | {
      readonly kind: 'open';
      readonly file: string;
      /** Epoch ms: wait (spinning, to be on time) until then, so two processes open together. */
      readonly at?: number;
    }
  | {
      readonly kind: 'append';
      readonly streamName: string;
      readonly eventId: string;
      /** 'no_stream' or a revision in decimal. */
      readonly expected: string;
    }
  | { readonly kind: 'close' };

export type WriterReply =
  | { readonly kind: 'ready' | 'opened' | 'closed'; readonly pid: number }
  | { readonly kind: 'appended'; readonly revision: string; readonly position: string }
  | { readonly kind: 'refused'; readonly code: string; readonly actual?: string }
  | { readonly kind: 'failed'; readonly code?: string; readonly message: string };

let store: SqliteEventStore | undefined;

function reply(message: WriterReply): void {
  process.send!(message);
}

function expectedRevision(text: string): ExpectedRevision {
  return text === 'no_stream' ? 'no_stream' : BigInt(text);
}

async function handle(command: WriterCommand): Promise<void> {
  switch (command.kind) {
    case 'open':
      while (command.at !== undefined && Date.now() < command.at) {
        // spin: a timer would be late by a few milliseconds, longer than the race lasts
      }
      store = SqliteEventStore.open(command.file);
      return reply({ kind: 'opened', pid: process.pid });
    case 'append': {
      const result = await store!.appendToStream({
        streamName: command.streamName,
        expectedRevision: expectedRevision(command.expected),
        events: [
          {
            eventId: command.eventId,
            type: 'RaceRun',
            data: new TextEncoder().encode(JSON.stringify({ pid: process.pid })),
          },
        ],
      });
      return reply({
        kind: 'appended',
        revision: String(result.nextExpectedRevision),
        position: String(result.positions[0].commit),
      });
    }
    case 'close':
      await store?.close();
      store = undefined;
      // The parent may have it open another file; when it disconnects, this process exits.
      return reply({ kind: 'closed', pid: process.pid });
  }
}

process.on('message', (command: WriterCommand) => {
  handle(command).catch((error: unknown) => {
    if (isEventStoreError(error)) {
      const { actual } = error as { actual?: bigint };
      reply({ kind: 'refused', code: error.code, actual: actual?.toString() });
    } else {
      const { code, stack } = error as { code?: string; stack?: string };
      reply({ kind: 'failed', code, message: String(stack ?? error) });
    }
  });
});
// The parent went away (a failed test): do not linger.
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready', pid: process.pid });
