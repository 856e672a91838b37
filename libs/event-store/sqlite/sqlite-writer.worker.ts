import { parentPort, workerData } from 'node:worker_threads';
import { GroupCommit } from '../../sqlite/group-commit';
import { openDatabase } from '../../sqlite/open-database';
import { appendRequests, prepareAppend } from './sqlite-append';
import {
  toWriterError,
  type FromWriter,
  type ToWriter,
  type WriterAnswer,
} from './sqlite-writer.protocol';

/**
 * The log's one writer, on a thread of its own: a commit with `synchronous=FULL` waits for
 * the disk (an fsync, milliseconds), and better-sqlite3 waits synchronously. Here that wait
 * blocks only this thread: the main thread goes on parsing and sealing the next requests,
 * which arrive here meanwhile and share the next commit.
 */
const port = parentPort!;
const send = (message: FromWriter) => port.postMessage(message);

/**
 * The answers of one commit go back in one message: they settle together, in one drain of
 * the microtask queue, and the first queues the message after them all.
 */
let answers: WriterAnswer[] = [];
function answer(outcome: WriterAnswer): void {
  answers.push(outcome);
  if (answers.length > 1) return;
  queueMicrotask(() => {
    send({ kind: 'answered', answers });
    answers = [];
  });
}

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
    for (const { id, requests } of message.appends) {
      writer
        .run(() => appendRequests(statements, requests))
        .then(
          (results) => answer({ id, results }),
          (error: unknown) => answer({ id, error: toWriterError(error) }),
        );
    }
  });
} catch (error) {
  send({ kind: 'failed', message: (error as Error).message });
}
