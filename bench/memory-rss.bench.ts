import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import { startLedgerProcess, type LedgerProcess } from './support/ledger-process';
import { allCreated, describeLoad, publishLoad } from './support/publish-load';

const EVENTS = 1_000_000;
const EVENTS_PER_REQUEST = 100;
const CONNECTIONS = 12;
const SUBJECTS = 100_000;
const SAMPLE_EVERY_MS = 1_000;
const LIMIT_MB = 300;
/**
 * The whole `npm run bench` should take about 10 minutes: a server slower than ~3,000 events/s
 * cannot take 1,000,000 in that time, so the run stops here and says how far it got (the
 * 1,000,000-event figures then do not meet their targets). BENCH_MEMORY_MAX_SECONDS=0 lifts it.
 */
const MAX_SECONDS = Number(process.env.BENCH_MEMORY_MAX_SECONDS ?? 270);

export const memoryRss: Benchmark = {
  name: 'memory-rss',
  title: 'Server memory after 1,000,000 events',
  method:
    'A fresh server child process (`node dist/src/main.js`, SQLite, its own data folder, ' +
    `warn logs, 127.0.0.1) receives ${EVENTS.toLocaleString('en')} new events over HTTP in ` +
    `batches of ${EVENTS_PER_REQUEST} (${(EVENTS / EVENTS_PER_REQUEST).toLocaleString('en')} ` +
    `requests, autocannon, ${CONNECTIONS} connections, fresh event ids, 500-byte personal ` +
    `payloads). Subjects are drawn from ${SUBJECTS.toLocaleString('en')} ids (x 3 event kinds ` +
    `= ${(SUBJECTS * 3).toLocaleString('en')} data keys, created as they first appear), more ` +
    "than the vault's caches hold (50,000 entries each), so the caches reach their bound. " +
    "The server's VmRSS is read from /proc/<pid>/status every second and at the end; the " +
    "peak is VmHWM (the kernel's high-water mark, so nothing between samples is missed). A " +
    'preloaded module writes `process.memoryUsage()` of the server every second, to tell ' +
    'what the RSS is made of. MB = 10^6 bytes. The run stops after ' +
    `${MAX_SECONDS} s if it has not finished (BENCH_MEMORY_MAX_SECONDS), to keep the whole ` +
    'run near 10 minutes; the figures then say how far it got and do not count as met. ' +
    'Target: < ' +
    `${LIMIT_MB} MB at the end and at the peak; every request must be answered 201.`,

  async run({ workDir, log }: BenchmarkContext) {
    const report = join(workDir, 'memory-usage.json');
    const server = await startLedgerProcess(join(workDir, 'data'), {
      preload: [join(__dirname, 'support', 'report-memory.js')],
      env: { BENCH_MEMORY_REPORT: report },
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
          every: 1000,
          report: (answers) =>
            log(
              `${(answers * EVENTS_PER_REQUEST).toLocaleString('en')} events after ` +
                `${((Date.now() - started) / 1000).toFixed(0)} s, RSS ` +
                `${(samples.at(-1) ?? 0).toFixed(0)} MB`,
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
      log(`${describeLoad(run)}; RSS at the end ${end.currentMb.toFixed(0)} MB`);
      const published = run.created * EVENTS_PER_REQUEST;
      const valid = allCreated(run) && published === EVENTS;
      const target = { op: '<' as const, value: LIMIT_MB, valid };
      return {
        figures: [
          figure('memory-rss/rss-after-1m-events', Math.round(end.currentMb), 'MB', target),
          figure('memory-rss/peak-rss', Math.round(end.peakMb), 'MB', target),
          figure('memory-rss/events-published', published, 'events', { op: '=', value: EVENTS }),
          figure('memory-rss/events-per-second', Math.round(run.eventsPerSecond), 'events/s'),
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
            : `At the end (last second), the server's RSS held: JS heap used ` +
              `${mb(usage.heapUsed)} MB of ${mb(usage.heapTotal)} MB reserved by V8, ` +
              `buffers outside the heap ${mb(usage.external)} MB, and the rest ` +
              `${mb(usage.rss - usage.heapTotal - usage.external)} MB native (code, SQLite page ` +
              'caches, allocator).',
          `Load: ${describeLoad(run)}.`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};

function sampleRss(server: LedgerProcess, samples: number[]) {
  return setInterval(() => {
    try {
      samples.push(server.rss().currentMb);
    } catch {
      // the process is gone: the load run reports it
    }
  }, SAMPLE_EVERY_MS);
}

function readUsage(file: string): NodeJS.MemoryUsage | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
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
