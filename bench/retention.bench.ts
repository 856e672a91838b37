import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { loadPolicyFile } from '../libs/policy/load-policy';
import { SqliteFillThreads } from '../libs/projections/fill/fill-threads';
import {
  ProjectionRunner,
  RetentionScheduleProjection,
  SqliteReadStore,
  storedSchedule,
} from '../libs/projections';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import { writeSubjectLog } from './support/subject-log';

const EVENTS = 1_000_000;
const SUBJECTS = 100_000;
const DEADLINE_QUERIES = 200;
const SCHEDULE_READS = 2_000;

export const retention: Benchmark = {
  name: 'retention',
  title: 'Read models: rebuild from the log, the next deadlines, one schedule',
  method:
    `A SQLite log of ${EVENTS.toLocaleString('en')} events about ${SUBJECTS.toLocaleString('en')} subjects ` +
    '(one AccountCreated each, then mostly LastActivity with monthly connection records, 3% invoices) is ' +
    'written first (not timed). Rebuild: a fresh read-models.db, the retention-schedule projection runner ' +
    "started from nothing, as the ledger's worker runs it: it fills the read models stream by stream " +
    "(each subject stream read whole up to the log's head, folded, its deadlines and purpose counts computed and encoded, " +
    'on one thread per core, each reading a range of stream names through its own connection; the ' +
    "runner's thread writes each subject once; the deadlines index built at the end), so the memory " +
    "bounds (the library's, as the ledger's worker's smaller ones) do not come into it; timed " +
    'until it reports caught up (states, purpose counts, deadlines, index and checkpoint ' +
    'committed): events/s = events / seconds. Then, on the rebuilt store: the next 1,000 ' +
    `due before a far instant through the deadlines index, ${DEADLINE_QUERIES} times (p99, ms), and ` +
    `${SCHEDULE_READS} schedule reads of random subjects as the route reads one (the stored state ` +
    'loaded and its schedule computed under the policy; p99, ms). Targets: rebuild >= 100,000 events/s; ' +
    'next 1,000 due < 20 ms; one schedule p99 < 5 ms.',
  async run({ workDir, log }: BenchmarkContext) {
    const store = SqliteEventStore.open(join(workDir, 'events.db'));
    const readStore = SqliteReadStore.open(join(workDir, 'read-models.db'));
    try {
      let t = Date.now();
      await writeSubjectLog(store, EVENTS, SUBJECTS);
      log(`wrote the log in ${((Date.now() - t) / 1000).toFixed(1)} s`);

      // As the ledger's worker runs it over SQLite: subjects folded on one thread per core.
      const policy = loadPolicyFile();
      const runner = new ProjectionRunner(
        store,
        readStore,
        new RetentionScheduleProjection(policy),
        { fillThreads: new SqliteFillThreads(store, availableParallelism()) },
      );
      t = Date.now();
      await runner.start();
      while (!runner.status().caughtUp) await new Promise((resolve) => setTimeout(resolve, 50));
      const seconds = (Date.now() - t) / 1000;
      await runner.stop();
      const rate = Math.round(EVENTS / seconds);
      log(`rebuilt in ${seconds.toFixed(1)} s`);

      const deadlines = await timeEach(DEADLINE_QUERIES, () =>
        readStore.deadlines({ before: '2100-01-01T00:00:00.000Z', limit: 1000 }),
      );
      const schedules = await timeEach(SCHEDULE_READS, () =>
        storedSchedule(
          readStore,
          policy,
          `bench-${Math.floor(Math.random() * SUBJECTS)
            .toString()
            .padStart(7, '0')}`,
        ),
      );
      return {
        figures: [
          figure('retention/rebuild', rate, 'events/s', { op: '>=', value: 100_000 }),
          figure('retention/next-1000-due-p99', deadlines.p99, 'ms', { op: '<', value: 20 }),
          figure('retention/schedule-read-p99', schedules.p99, 'ms', { op: '<', value: 5 }),
        ],
        notes: [
          `Rebuild of ${EVENTS.toLocaleString('en')} events in ${seconds.toFixed(1)} s.`,
          `Next 1,000 due: p50 ${deadlines.p50} ms, p99 ${deadlines.p99} ms; one schedule: p50 ${schedules.p50} ms, p99 ${schedules.p99} ms.`,
        ],
      };
    } finally {
      await readStore.close();
      await store.close();
    }
  },
};

async function timeEach(count: number, operation: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await operation();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000) / 1000;
  return { p50: at(0.5), p99: at(0.99) };
}
