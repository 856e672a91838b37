import { parentPort, workerData } from 'node:worker_threads';
import { GroupCommit } from '../../sqlite/group-commit';
import { openDatabase } from '../../sqlite/open-database';
import { appendRequests, prepareAppend } from './sqlite-append';
import { toWriterError, type FromWriter, type ToWriter } from './sqlite-writer.protocol';

/**
 * The log's one writer, on a thread of its own: a commit with `synchronous=FULL` waits for
 * the disk (an fsync, milliseconds), and better-sqlite3 waits synchronously. Here that wait
 * blocks only this thread: the main thread goes on parsing and sealing the next requests,
 * which arrive here meanwhile and share the next commit.
 */
const port = parentPort!;
const send = (message: FromWriter) => port.postMessage(message);

try {
  const db = openDatabase((workerData as { file: string }).file, { memoryTempStore: true });
  const statements = prepareAppend(db);
  const writer = new GroupCommit(db);
  writer.onCommit(() => send({ kind: 'committed' }));

  port.on('message', (message: ToWriter) => {
    if (message.kind === 'close') {
      void writer.drain().finally(() => {
        db.close();
        send({ kind: 'closed' });
        port.close();
      });
      return;
    }
    writer
      .run(() => appendRequests(statements, message.requests))
      .then(
        (results) => send({ kind: 'appended', id: message.id, results }),
        (error: unknown) => send({ kind: 'refused', id: message.id, error: toWriterError(error) }),
      );
  });
} catch (error) {
  send({ kind: 'failed', message: (error as Error).message });
}
