import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryMode } from '../src/config/ledger-config';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import type { MemoryReport } from './support/report-memory';
import { startLedgerProcess, type LedgerProcess } from './support/ledger-process';
import { allCreated, describeLoad, publishLoad } from './support/publish-load';

const EVENTS = 1_000_000;
const EVENTS_PER_REQUEST = 100;
const CONNECTIONS = 12;
const SUBJECTS = 100_000;
const SAMPLE_EVERY_MS = 1_000;
const LIMIT_MB = 300;
/**
 * 1,000,000 events at ~2,000 events/s (a quiet 2-core machine) take ~8 minutes: a slower run
 * stops here and says how far it got (the 1,000,000-event figures then do not meet their
 * targets). BENCH_MEMORY_MAX_SECONDS=0 lifts it.
 */
const MAX_SECONDS = Number(process.env.BENCH_MEMORY_MAX_SECONDS ?? 600);
/** After the load, how long RSS is still watched while the projection catches up. */
const CATCH_UP_MAX_SECONDS = 180;

/**
 * The same run in each memory mode (LEDGER_MEMORY, src/config/memory-mode.ts): `small` trades
 * publishing speed for memory, and its publishing rate here says how much.
 */
export const memoryRss = memoryRssBench('default');
export const memoryRssSmall = memoryRssBench('small');

function memoryRssBench(mode: MemoryMode): Benchmark {
  const name = mode === 'default' ? 'memory-rss' : `memory-rss-${mode}`;
  return {
    name,
    title:
      mode === 'default'
        ? 'Server memory after 1,000,000 events'
        : `Server memory after 1,000,000 events, LEDGER_MEMORY=${mode}`,
    method:
      (mode === 'default'
        ? ''
        : `As memory-rss, with the server started with LEDGER_MEMORY=${mode} (bin/ledger-server ` +
          'then runs node --optimize-for-size: V8 favours memory over speed in every thread). ') +
      'A fresh server child process (`bin/ledger-server` as `npm start` runs it, SQLite, its own data folder, ' +
      `warn logs, 127.0.0.1) receives ${EVENTS.toLocaleString('en')} new events over HTTP in ` +
      `batches of ${EVENTS_PER_REQUEST} (${(EVENTS / EVENTS_PER_REQUEST).toLocaleString('en')} ` +
      `requests, autocannon, ${CONNECTIONS} connections, fresh event ids, 500-byte personal ` +
      `payloads). Subjects are drawn from ${SUBJECTS.toLocaleString('en')} ids (x 3 event kinds ` +
      `= ${(SUBJECTS * 3).toLocaleString('en')} data keys, created as they first appear), more ` +
      "than the vault's caches hold (20,000 entries each), so the caches reach their bound. " +
      "The server's VmRSS is read from /proc/<pid>/status every second and at the end; the " +
      "peak is VmHWM (the kernel's high-water mark, so nothing between samples is missed). A " +
      'preloaded module writes `process.memoryUsage()` of the server every second, to tell ' +
      'what the RSS is made of (the heap of every thread). After the load, RSS is sampled ' +
      'until the projection has committed the last event (checkpoint in read-models.db), ' +
      `at most ${CATCH_UP_MAX_SECONDS} s: the peak then includes its catching up. ` +
      'MB = 10^6 bytes. The run stops after ' +
      `${MAX_SECONDS} s if it has not finished (BENCH_MEMORY_MAX_SECONDS), to keep the whole ` +
      'run near 10 minutes; the figures then say how far it got and do not count as met. ' +
      'Target: < ' +
      `${LIMIT_MB} MB at the end and at the peak; every request must be answered 201.`,

    async run({ workDir, log }: BenchmarkContext) {
      const report = join(workDir, 'memory-usage.json');
      const server = await startLedgerProcess(join(workDir, 'data'), {
        preload: [join(__dirname, 'support', 'report-memory.js')],
        env: { BENCH_MEMORY_REPORT: report, LEDGER_MEMORY: mode },
      });
      const samples: number[] = [];
      try {
        const startMb = server.rss().currentMb;
        const sampler = sampleRss(server, samples);
        const started = Date.now();
        const run = await publishLoad(server, {
          connections: CONNECTIONS,
          eventsPerRequest: EVENTS_PER_REQUEST,
          subjects: SUBJECTS,
          requests: EVENTS / EVENTS_PER_REQUEST,
          stopAfterSeconds: MAX_SECONDS > 0 ? MAX_SECONDS : undefined,
          progress: {
            every: 250,
            report: (answers) =>
              log(
                `${(answers * EVENTS_PER_REQUEST).toLocaleString('en')} events after ` +
                  `${((Date.now() - started) / 1000).toFixed(0)} s, RSS ` +
                  `${(samples.at(-1) ?? 0).toFixed(0)} MB (${describeHeaps(readUsage(report))})`,
              ),
          },
        }).finally(() => clearInterval(sampler));
        const exit = server.exit();
        if (exit) {
          throw new Error(
            `the server exited during the run (code ${exit.code}, signal ${exit.signal}) after ` +
              `${run.created * EVENTS_PER_REQUEST} events`,
          );
        }
        const end = server.rss();
        const usage = readUsage(report);
        const catchUp = await watchCatchUp(server, join(workDir, 'data'));
        log(`${describeLoad(run)}; RSS at the end ${end.currentMb.toFixed(0)} MB`);
        const published = run.created * EVENTS_PER_REQUEST;
        const valid = allCreated(run) && published === EVENTS;
        const target = { op: '<' as const, value: LIMIT_MB, valid };
        return {
          figures: [
            figure(`${name}/rss-after-1m-events`, Math.round(end.currentMb), 'MB', target),
            figure(`${name}/peak-rss`, Math.round(end.peakMb), 'MB', target),
            figure(`${name}/peak-rss-with-catch-up`, Math.round(catchUp.peakMb), 'MB', target),
            figure(`${name}/events-published`, published, 'events', { op: '=', value: EVENTS }),
            figure(`${name}/events-per-second`, Math.round(run.eventsPerSecond), 'events/s'),
          ],
          notes: [
            published === EVENTS
              ? `All ${EVENTS.toLocaleString('en')} events stored in ${run.seconds.toFixed(0)} s.`
              : `Stopped by the ${MAX_SECONDS} s cap after ${published.toLocaleString('en')} ` +
                `events: the RSS figures are those at that point, and do not count as met.`,
            `RSS after start-up ${startMb.toFixed(0)} MB; at each tenth of the run: ` +
              `${tenths(samples)} MB.`,
            usage === undefined
              ? 'The memory breakdown of the server was not available.'
              : `At the end (last second), the server's RSS held: JS heaps of all threads ` +
                `${mb(sumOf(usage, 'heapUsed'))} MB used of ${mb(sumOf(usage, 'heapTotal'))} MB ` +
                `reserved by V8, buffers outside the heaps ${mb(sumOf(usage, 'external'))} MB, ` +
                `and the rest ${mb(usage.main.rss - sumOf(usage, 'heapTotal') - sumOf(usage, 'external'))} ` +
                'MB native (code, isolates, SQLite page caches, allocator). Heaps used/reserved ' +
                `(+ buffers outside the heap) by thread: ${describeHeaps(usage)} MB.`,
            catchUp.seconds === undefined
              ? `The projection had not caught up ${CATCH_UP_MAX_SECONDS} s after the load; ` +
                `RSS then ${catchUp.endMb.toFixed(0)} MB.`
              : `The projection caught up ${catchUp.seconds.toFixed(0)} s after the load; RSS ` +
                `then ${catchUp.endMb.toFixed(0)} MB (${describeHeaps(readUsage(report))} MB).`,
            `Load: ${describeLoad(run)}.`,
          ],
        };
      } finally {
        await server.stop();
      }
    },
  };
}

function sampleRss(server: LedgerProcess, samples: number[]) {
  return setInterval(() => {
    try {
      samples.push(server.rss().currentMb);
    } catch {
      // the process is gone: the load run reports it
    }
  }, SAMPLE_EVERY_MS);
}

/**
 * Samples RSS until the projection's checkpoint reaches the last event of the log and every
 * schedule is computed (read from the server's files, read-only: WAL lets them be read while
 * it writes).
 */
async function watchCatchUp(server: LedgerProcess, dataDir: string) {
  const events = new Database(join(dataDir, 'events.db'), { readonly: true });
  const readModels = new Database(join(dataDir, 'read-models.db'), { readonly: true });
  const head = events.prepare('SELECT max(position) AS position FROM events');
  const checkpoint = readModels.prepare(
    "SELECT position FROM checkpoints WHERE projection = 'retention-schedule'",
  );
  const dirty = readModels.prepare('SELECT count(*) AS n FROM subjects WHERE dirty = 1');
  const started = Date.now();
  try {
    for (;;) {
      const last = (head.get() as { position: number }).position;
      const row = checkpoint.get() as { position: string } | undefined;
      const committed = row ? Number(row.position.split('/')[0]) : 0;
      const seconds = (Date.now() - started) / 1000;
      const settled = committed >= last && (dirty.get() as { n: number }).n === 0;
      if (settled) return { ...lastRss(server), seconds };
      if (seconds > CATCH_UP_MAX_SECONDS) return { ...lastRss(server), seconds: undefined };
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  } finally {
    events.close();
    readModels.close();
  }
}

function lastRss(server: LedgerProcess) {
  const { currentMb, peakMb } = server.rss();
  return { endMb: currentMb, peakMb };
}

function readUsage(file: string): MemoryReport | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as MemoryReport;
}

function sumOf(report: MemoryReport, field: 'heapUsed' | 'heapTotal' | 'external'): number {
  const threads = [report.main, ...Object.values(report.workers)];
  return threads.reduce((sum, heap) => sum + heap[field], 0);
}

/** JS heap used/reserved by V8 in MB, thread by thread. */
function describeHeaps(report: MemoryReport | undefined): string {
  if (report === undefined) return 'no heap figures';
  const threads = [['main', report.main] as const, ...Object.entries(report.workers)];
  return threads
    .map(
      ([name, heap]) =>
        `${name} ${mb(heap.heapUsed)}/${mb(heap.heapTotal)} (+${mb(heap.external)})`,
    )
    .join(', ');
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function tenths(samples: readonly number[]): string {
  if (samples.length === 0) return 'no samples';
  const picks = Array.from(
    { length: 10 },
    (_, i) =>
      samples[Math.min(samples.length - 1, Math.floor(((i + 1) * samples.length) / 10) - 1)],
  );
  return picks.map((value) => value.toFixed(0)).join(', ');
}
