import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import type { WriterCommand, WriterReply } from './support/racing-writer.process';
import {
  captureOutput,
  exited,
  forkTypeScript,
  isRunning,
  killAllChildren,
} from './support/typescript-process';
import { integrityOf } from './support/sqlite-integrity';

/*
 * Issue 2, reliability: the api and the worker may each hold a writer on the same SQLite
 * log. Two OS processes append to one stream with the same expected revision, round after
 * round: the log's optimistic concurrency must let exactly one of them win each revision.
 */

const ROUNDS = 50;
const STREAM = 'subject-racing-writers';
const REPLY_TIMEOUT_MS = 30_000;

/** A writer process and the answers it sent, in order. */
class Writer {
  readonly child: ChildProcess;
  readonly output: () => string;
  private readonly inbox: WriterReply[] = [];
  private waiting?: (reply: WriterReply) => void;

  constructor(readonly name: string) {
    this.child = forkTypeScript(join(__dirname, 'support', 'racing-writer.process.ts'));
    this.output = captureOutput(this.child);
    this.child.on('message', (reply: WriterReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(reply);
      else this.inbox.push(reply);
    });
  }

  /** The next answer; rejects, with what the process wrote, if it exits or stays silent. */
  next(): Promise<WriterReply> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        this.waiting = undefined;
        reject(new Error(`writer ${this.name} ${why}\n--- its output ---\n${this.output()}`));
      };
      const timer = setTimeout(
        () => fail(`did not answer in ${REPLY_TIMEOUT_MS} ms`),
        REPLY_TIMEOUT_MS,
      );
      const onExit = () => fail(`exited (${this.child.exitCode ?? this.child.signalCode})`);
      this.child.once('exit', onExit);
      this.waiting = (reply) => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        resolve(reply);
      };
      if (!isRunning(this.child)) onExit();
    });
  }

  ask(command: WriterCommand): Promise<WriterReply> {
    this.child.send(command);
    return this.next();
  }
}

describe('two writers racing on one stream, as two OS processes on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-racing-'));
  const file = join(dir, 'events.db');
  let writers: [Writer, Writer];
  /** Event ids in the order the stream must hold them, and who wrote each. */
  const expected: Array<{ eventId: string; writer: number }> = [];
  const pids: number[] = [];

  beforeAll(async () => {
    writers = [new Writer('A'), new Writer('B')];
    const ready = await Promise.all(writers.map((w) => w.next()));
    expect(ready.map((r) => r.kind)).toEqual(['ready', 'ready']);
    pids.push(...ready.map((r) => (r as { pid: number }).pid));
  }, 60_000);

  afterAll(async () => {
    await killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('both open the file, one after the other', async () => {
    // One after the other: two first opens of a NEW file at the same instant is another
    // test, below.
    for (const writer of writers) {
      expect(await writer.ask({ kind: 'open', file })).toMatchObject({ kind: 'opened' });
    }
  });

  it(`exactly one wins each revision, the other gets EVENT_STORE.CONCURRENCY and then the next (${ROUNDS} rounds)`, async () => {
    const wins = [0, 0];
    let next = 0n;
    for (let round = 0; round < ROUNDS; round++) {
      const eventIds = [randomUUID(), randomUUID()];
      const expectedRevision = next === 0n ? 'no_stream' : String(next - 1n);
      // Each writer is asked first every other round: both get their chances to win.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      const asked = order.map((w) =>
        writers[w].ask({
          kind: 'append',
          streamName: STREAM,
          eventId: eventIds[w],
          expected: expectedRevision,
        }),
      );
      const replies: WriterReply[] = [];
      (await Promise.all(asked)).forEach((reply, i) => (replies[order[i]] = reply));

      const winner = replies.findIndex((r) => r.kind === 'appended');
      const loser = 1 - winner;
      expect({ round, replies }).toEqual({
        round,
        replies: expect.arrayContaining([
          { kind: 'appended', revision: String(next), position: expect.any(String) },
          { kind: 'refused', code: 'EVENT_STORE.CONCURRENCY', actual: String(next) },
        ]),
      });

      // The loser, told the new revision, tries again with the same event and succeeds.
      const retried = await writers[loser].ask({
        kind: 'append',
        streamName: STREAM,
        eventId: eventIds[loser],
        expected: String(next),
      });
      expect({ round, retried }).toEqual({
        round,
        retried: { kind: 'appended', revision: String(next + 1n), position: expect.any(String) },
      });

      wins[winner]++;
      expected.push({ eventId: eventIds[winner], writer: winner });
      expected.push({ eventId: eventIds[loser], writer: loser });
      next += 2n;
    }
    if (process.env.LEDGER_TEST_REPORT) {
      process.stderr.write(`racing-writers: A won ${wins[0]} rounds, B won ${wins[1]}\n`);
    }
  }, 60_000);

  it('leaves the stream with every event once, revisions 0..n-1 without a gap, in the order won', async () => {
    for (const writer of writers) {
      expect(await writer.ask({ kind: 'close' })).toMatchObject({ kind: 'closed' });
      writer.child.disconnect();
      expect(await exited(writer.child)).toEqual({ code: 0, signal: null });
    }
    expect(integrityOf(file)).toBe('ok');

    const store = SqliteEventStore.open(file);
    try {
      const stream = await store.readStream(STREAM);
      expect(stream.map((e) => e.revision)).toEqual(expected.map((_, i) => BigInt(i)));
      expect(stream.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
      // Each event was written by the process that won (or retried) it.
      expect(stream.map((e) => JSON.parse(Buffer.from(e.data).toString('utf8')).pid)).toEqual(
        expected.map((e) => pids[e.writer]),
      );

      const all = await store.readAll({ maxCount: 10 * ROUNDS });
      expect(all).toHaveLength(2 * ROUNDS);
      expect(new Set(all.map((e) => e.eventId)).size).toBe(2 * ROUNDS);
    } finally {
      await store.close();
    }
  });
});

describe('two processes starting together on a new data folder', () => {
  const ATTEMPTS = 100;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-first-open-'));
  let writers: [Writer, Writer];

  beforeAll(async () => {
    writers = [new Writer('C'), new Writer('D')];
    const ready = await Promise.all(writers.map((w) => w.next()));
    expect(ready.map((r) => r.kind)).toEqual(['ready', 'ready']);
  }, 60_000);

  afterAll(async () => {
    await killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  // The api and the worker apart (shared/DESIGN.md) share the log's file; on a fresh data
  // folder they may well open it for the first time at the same instant.
  it(`both open the same new log file at the same instant (${ATTEMPTS} new files)`, async () => {
    const failures: string[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const file = join(dir, `events-${attempt}.db`);
      const at = Date.now() + 5;
      const opened = await Promise.all(writers.map((w) => w.ask({ kind: 'open', file, at })));
      for (const reply of opened) {
        if (reply.kind !== 'opened') {
          const { code, message } = reply as { code?: string; message?: string };
          failures.push(
            `attempt ${attempt}: ${code} ${message?.split('\n').slice(0, 3).join(' / ')}`,
          );
        }
      }
      await Promise.all(writers.map((w) => w.ask({ kind: 'close' })));
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
