/**
 * Times a rebuild of the read models from a synthetic SQLite log and prints events/s and
 * where the CPU went. Not a test: run it by hand.
 *
 *   node -r @swc-node/register libs/projections/testing/measure-catch-up.ts [events] [subjects] [dir]
 *
 * The log is written once in `dir` (a new temporary directory by default) and reused by
 * later runs given the same `dir`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { loadPolicyFile } from '../../policy/load-policy';
import { ProjectionRunner } from '../projection-runner';
import { RetentionScheduleProjection } from '../retention-schedule/retention-schedule.projection';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { writeSyntheticLog } from './synthetic-log';

/** CPU seconds spent in a method, counted by wrapping it. */
function timed<A extends unknown[], R>(fn: (...args: A) => R, total: { cpu: number }) {
  return (...args: A): R => {
    const start = process.cpuUsage();
    try {
      return fn(...args);
    } finally {
      const used = process.cpuUsage(start);
      total.cpu += (used.user + used.system) / 1e6;
    }
  };
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200_000);
  const subjects = Number(process.argv[3] ?? events / 10);
  const dir = process.argv[4] ?? mkdtempSync(join(tmpdir(), 'catch-up-'));
  const store = SqliteEventStore.open(join(dir, 'events.db'));
  if ((await store.readAll({ maxCount: 1 })).length === 0) {
    const t = performance.now();
    await writeSyntheticLog(store, { subjects, events });
    console.log(`wrote ${events} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const readStore = SqliteReadStore.open(join(dir, 'read-models.db'));
  const projection = new RetentionScheduleProjection(loadPolicyFile());
  const decode = { cpu: 0 };
  const fold = { cpu: 0 };
  const readModel = { cpu: 0 };
  const commit = { cpu: 0 };
  projection.subjectEventOf = timed(projection.subjectEventOf.bind(projection), decode);
  projection.evolve = timed(projection.evolve.bind(projection), fold);
  projection.readModel = timed(projection.readModel.bind(projection), readModel);
  const originalCommit = readStore.commit.bind(readStore);
  readStore.commit = timed(originalCommit, commit); // synchronous under its promise

  await readStore.drop(projection.name);
  const runner = new ProjectionRunner(store, readStore, projection, { onError: console.error });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runner.start();
  while (!(await runner.waitForHead(60_000))) {
    console.log(`${((performance.now() - t0) / 1000).toFixed(0)} s`, runner.status().applied);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await runner.stop();
  await readStore.close();
  await store.close();

  const s = (x: number) => `${x.toFixed(2)} s`;
  const total = (cpu.user + cpu.system) / 1e6;
  const other = total - decode.cpu - fold.cpu - readModel.cpu - commit.cpu;
  console.log(
    [
      `caught up: ${events} events, ${subjects} subjects in ${s(seconds)}`,
      `  = ${Math.round(events / seconds)} events/s`,
      `cpu ${s(total)}: decode ${s(decode.cpu)}, fold ${s(fold.cpu)},`,
      `  schedules ${s(readModel.cpu)}, sqlite writes ${s(commit.cpu)},`,
      `  other (reading the log, runner) ${s(other)}`,
      `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB; log in ${dir}`,
    ].join('\n'),
  );
}

void main();
