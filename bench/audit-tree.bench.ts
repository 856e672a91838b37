import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AuditProofs } from '../libs/audit/audit-proofs';
import { AuditTreeRunner } from '../libs/audit/audit-tree-runner';
import { waitForTreeHead } from '../libs/audit/tree-progress';
import { SqliteAuditTree } from '../libs/audit/tree-store/sqlite-audit-tree';
import { encodeLedgerEvent, subjectStreamName } from '../libs/domain/events/ledger-event';
import type { AppendRequest } from '../libs/event-store';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { generateMasterKey, parseMasterKey } from '../libs/crypto/master-key';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import type { PublishedEvent } from '../libs/domain/events';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import { toAppendRequests } from './library-append.bench';
import { everyKeyOnce, publishedEvent, randomPublishedEvents } from './support/sample-events';

const LEAVES = 1_000_000;
const PROOFS = 10_000;
const WARM_UP_PROOFS = 500;
const IN_FLIGHT = 64;
const BATCH = 100;
const ROUNDS = 3;
const SLICE_SECONDS = 3;
const SUBJECTS = 10_000;
const FILL_BATCH = 2_000;

/**
 * An event as the ledger stores it: a pseudonymous subject, a last activity, and a sealed
 * 500-byte payload (random bytes in base64: the size and entropy of a real box).
 */
function storedEvent(n: number): AppendRequest {
  const eventId = randomUUID();
  const subject = `bench-${(n % SUBJECTS).toString().padStart(7, '0')}`;
  const event = {
    v: 1 as const,
    eventId,
    type: 'LastActivity',
    subject,
    occurredAt: '2024-06-01T10:00:00.000Z',
    recordedAt: '2024-06-01T10:00:00.000Z',
    source: 'bench-publisher',
    data: {},
    personalData: [
      {
        category: 'connection',
        recordKey: 'visits:2024-06',
        keyId: randomUUID(),
        sealed: randomBytes(500).toString('base64'),
      },
    ],
    digest: randomBytes(32).toString('base64url'),
  };
  return {
    streamName: subjectStreamName(subject),
    expectedRevision: 'any',
    events: [{ eventId, type: event.type, data: encodeLedgerEvent(event) }],
  };
}

export const auditTree: Benchmark = {
  name: 'audit-tree',
  title: 'Audit tree: its cost to appends, and inclusion proofs at 1,000,000 leaves',
  method:
    `(1) Overhead: in one process, ${IN_FLIGHT} concurrent publishers append batches of ` +
    `${BATCH} events through the library-level pipeline of the library-append benchmark ` +
    '(request digests, pseudonyms and data keys from a real SQLite vault, AES-256-GCM sealing ' +
    'of a 500-byte payload, encoding, SQLite log with WAL, synchronous=FULL and group commit; ' +
    `every key created first, untimed), in ` +
    `${ROUNDS} rounds of three alternating slices of ${SLICE_SECONDS} s: without the tree; with ` +
    "the audit tree's runner following the log live (leaf hash, the perfect subtrees each " +
    'leaf completes, the positions and the head, one SQLite transaction per batch) on a worker ' +
    'thread with its own connections to the log and the tree file, as the ledger runs it ' +
    '(src/main.ts puts the projections on a worker thread); and, as a worst case reported ' +
    "beside it, with the runner on the publishers' own thread. The runner is caught up, " +
    'untimed, before each slice with it. Overhead = 1 - (rate with it on its thread) / (rate ' +
    `without); target <= 10%. (2) The log filled up to ${LEAVES.toLocaleString('en')} ` +
    'events with stored events of about 1 KB (a pseudonymous LastActivity with a sealed ' +
    '500-byte box) written straight to it, then the tree built from them by its runner (the rebuild rate), then ' +
    `${PROOFS.toLocaleString('en')} inclusion proofs of random events in the tree of ` +
    `${LEAVES.toLocaleString('en')} leaves through AuditProofs.inclusion, as the route serves them ` +
    '(the event found by id in the log, its leaf index, the root and the proof read from the ' +
    "tree file through a second, memory-mapped connection, as the API's), after " +
    `${WARM_UP_PROOFS} untimed ones (a serving ledger has its code compiled ` +
    'and its statements prepared): p50, p99; target p99 < 1 ms.',

  async run({ workDir, log }: BenchmarkContext) {
    const store = SqliteEventStore.open(join(workDir, 'events.db'));
    const tree = SqliteAuditTree.open(join(workDir, 'audit-tree.db'));
    let reader: SqliteAuditTree | undefined;
    try {
      const overhead = await measureOverhead(store, tree, workDir, log);
      const built = await buildMillion(store, tree, overhead.appended, log);
      // As in the ledger: the worker's connection wrote the tree, the API's serves proofs.
      reader = SqliteAuditTree.open(join(workDir, 'audit-tree.db'), { forProofs: true });
      const proofs = new AuditProofs(store, reader);
      const size = reader.size();
      const randomEvent = () => built.eventIds[Math.floor(Math.random() * built.eventIds.length)]!;
      // A serving ledger answers proofs with its code compiled and its caches filled: the
      // first calls (statement preparation, JIT tiers, empty caches) are not timed.
      for (let i = 0; i < WARM_UP_PROOFS; i++) await proofs.inclusion(randomEvent(), size);
      const times: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const eventId = randomEvent();
        const t = performance.now();
        await proofs.inclusion(eventId, size);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => round3(times[Math.floor(q * (times.length - 1))]!);
      const p50 = at(0.5);
      const p99 = at(0.99);
      log(`inclusion proofs at ${size} leaves: p50 ${p50} ms, p99 ${p99} ms`);
      return {
        figures: [
          figure('audit-tree/append-overhead', overhead.percent, '%', { op: '<=', value: 10 }),
          figure('audit-tree/inclusion-proof-p99', p99, 'ms', { op: '<', value: 1 }),
          figure('audit-tree/rebuild', built.rate, 'events/s'),
        ],
        notes: [
          `Appends without the tree: ${overhead.without} events/s; with it following live on its own thread (as in the ledger): ${overhead.with} events/s (${overhead.percent}% less); with it on the publishers' thread (worst case, not the ledger's layout): ${overhead.sameThread} events/s (${overhead.sameThreadPercent}% less). ${ROUNDS} rounds of three ${SLICE_SECONDS}-second slices.`,
          `Tree of ${size.toLocaleString('en')} leaves built from the log in ${built.seconds.toFixed(1)} s (${built.rate} events/s); tree file ${megabytes(join(workDir, 'audit-tree.db'))} MB.`,
          `Inclusion proofs (${PROOFS} random events, tree of ${size.toLocaleString('en')}): p50 ${p50} ms, p99 ${p99} ms.`,
        ],
      };
    } finally {
      reader?.close();
      tree.close();
      await store.close();
    }
  },
};

/**
 * The library-level append of issue 2 (digests, pseudonyms and keys from a real vault,
 * AES-GCM sealing, encoding, group commit), with and without the tree following live.
 */
async function measureOverhead(
  store: SqliteEventStore,
  tree: SqliteAuditTree,
  workDir: string,
  log: (line: string) => void,
) {
  const vault = openSqliteKeyVault(join(workDir, 'vault.db'), parseMasterKey(generateMasterKey()));
  const digestKey = randomBytes(32);
  let appended = 0;
  const publish = async (events: readonly PublishedEvent[]) => {
    await store.appendMany(await toAppendRequests(vault, digestKey, events));
    appended += events.length;
  };
  try {
    // Every pseudonym and data key exists before the timed slices (as in library-append).
    const pairs = everyKeyOnce(SUBJECTS);
    for (let i = 0; i < pairs.length; i += BATCH) {
      await publish(
        pairs.slice(i, i + BATCH).map(([subject, kind]) => publishedEvent(subject, kind)),
      );
    }
    const slice = async () => {
      const before = appended;
      const end = performance.now() + SLICE_SECONDS * 1000;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (performance.now() < end) await publish(randomPublishedEvents(BATCH, SUBJECTS));
        }),
      );
      return (appended - before) / ((performance.now() - start) / 1000);
    };
    let withTree = 0;
    let withoutTree = 0;
    let sameThread = 0;
    for (let round = 0; round < ROUNDS; round++) {
      withoutTree += await slice();
      // As the ledger runs it: on another thread, with its own connections.
      const thread = await startTreeThread(
        join(workDir, 'events.db'),
        join(workDir, 'audit-tree.db'),
      );
      await thread.ask('catch-up', 'caught-up');
      withTree += await slice();
      await thread.ask('stop', 'stopped');
      await thread.worker.terminate();
      // The worst case beside it: on the publishers' own thread.
      const runner = new AuditTreeRunner(store, tree);
      runner.start();
      await waitForTreeHead(store, tree, 600_000);
      sameThread += await slice();
      await runner.stop();
      log(
        `round ${round + 1}: without ${Math.round(withoutTree / (round + 1))}, with it on its thread ${Math.round(withTree / (round + 1))}, on the same thread ${Math.round(sameThread / (round + 1))} events/s`,
      );
    }
    const rateWith = Math.round(withTree / ROUNDS);
    const rateWithout = Math.round(withoutTree / ROUNDS);
    const rateSameThread = Math.round(sameThread / ROUNDS);
    return {
      appended,
      with: rateWith,
      without: rateWithout,
      sameThread: rateSameThread,
      percent: round3(Math.max(0, (1 - rateWith / rateWithout) * 100)),
      sameThreadPercent: round3(Math.max(0, (1 - rateSameThread / rateWithout) * 100)),
    };
  } finally {
    await vault.close();
  }
}

/** Fills the log up to LEAVES events, then builds the tree from scratch. */
async function buildMillion(
  store: SqliteEventStore,
  tree: SqliteAuditTree,
  alreadyStored: number,
  log: (line: string) => void,
) {
  // Proofs are asked for events drawn from the whole log: one id kept in a hundred.
  const eventIds: string[] = [];
  for (let n = alreadyStored; n < LEAVES;) {
    const requests = Array.from({ length: Math.min(FILL_BATCH, LEAVES - n) }, () =>
      storedEvent(n++),
    );
    for (const request of requests) {
      if (Math.random() < 0.01) eventIds.push(request.events[0]!.eventId);
    }
    await store.appendMany(requests);
  }
  log(`log filled to ${LEAVES} events`);
  tree.clear();
  const runner = new AuditTreeRunner(store, tree);
  const t = performance.now();
  runner.start();
  await waitForTreeHead(store, tree, 3_600_000);
  const seconds = (performance.now() - t) / 1000;
  await runner.stop();
  return { eventIds, seconds, rate: Math.round(Number(tree.size()) / seconds) };
}

function megabytes(file: string): number {
  const bytes = ['', '-wal'].reduce(
    (sum, suffix) => sum + (statSync(file + suffix, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
  return Math.round(bytes / 1e6);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The tree's runner on a worker thread (bench/support/audit-tree-thread.ts, compiled). */
async function startTreeThread(eventsFile: string, treeFile: string) {
  const worker = new Worker(join(__dirname, 'support', 'audit-tree-thread.js'), {
    workerData: { eventsFile, treeFile },
  });
  const ask = (message: string, answer: string) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (reply: string) => {
        if (reply !== answer) return;
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(message);
    });
  return { worker, ask };
}
