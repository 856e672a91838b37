import type { SqliteDatabase } from '../../sqlite/open-database';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors';
import type { AppendRequest, AppendResult } from '../event-store.port';
import { positionOf } from '../log-position';

export type AppendStatements = ReturnType<typeof prepareAppend>;

export function prepareAppend(db: SqliteDatabase) {
  return {
    lastRevision: db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_name = ?'),
    insert: db.prepare(
      'INSERT INTO events (stream_name, revision, event_id, type, data) VALUES (?, ?, ?, ?, ?)',
    ),
    positionOfEventId: db.prepare('SELECT position FROM events WHERE event_id = ?'),
  };
}

/**
 * Appends the requests in order, inside the caller's transaction (a savepoint of the group
 * commit): anything thrown rolls back every request of the call and nothing else.
 */
export function appendRequests(
  statements: AppendStatements,
  requests: readonly AppendRequest[],
): AppendResult[] {
  return requests.map((request) => appendOne(statements, request));
}

function appendOne(statements: AppendStatements, request: AppendRequest): AppendResult {
  const row = statements.lastRevision.get(request.streamName) as { revision: number | null };
  const actual = row.revision === null ? undefined : BigInt(row.revision);
  const expected = request.expectedRevision;
  const holds =
    expected === 'any' || (expected === 'no_stream' ? actual === undefined : actual === expected);
  if (!holds) throw new ConcurrencyError(request.streamName, expected, actual);

  let revision = actual === undefined ? -1 : Number(actual);
  let firstInserted: number | undefined;
  try {
    const positions = request.events.map((event) => {
      revision++;
      const { lastInsertRowid } = statements.insert.run(
        request.streamName,
        revision,
        event.eventId,
        event.type,
        Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength),
      );
      firstInserted ??= Number(lastInsertRowid);
      return positionOf(BigInt(lastInsertRowid));
    });
    return { streamName: request.streamName, nextExpectedRevision: BigInt(revision), positions };
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateError(statements, request, firstInserted);
    throw error;
  }
}

/**
 * Which of the request's ids are already stored or repeated within it. The savepoint is not
 * rolled back yet, so rows from this request itself (at or after `firstInserted`) do not
 * count as "already stored".
 */
function duplicateError(
  statements: AppendStatements,
  request: AppendRequest,
  firstInserted = Infinity,
): DuplicateEventIdError {
  const seen = new Set<string>();
  const duplicates = request.events
    .map((e) => e.eventId)
    .filter((id) => {
      const repeated = seen.has(id);
      seen.add(id);
      const row = statements.positionOfEventId.get(id) as { position: number } | undefined;
      return repeated || (row !== undefined && row.position < firstInserted);
    });
  return new DuplicateEventIdError(duplicates);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
