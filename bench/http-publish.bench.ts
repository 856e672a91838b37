import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import { startFloorProcess, startLedgerProcess } from './support/ledger-process';
import { primeVault } from './support/prime-vault';
import {
  allCreated,
  describeLoad,
  publishLoad,
  type PublishLoadOptions,
  type PublishLoadResult,
} from './support/publish-load';

const CONNECTIONS = 64;
const SUBJECTS = 10_000;
const WARM_UP_SECONDS = 3;
const MEASURE_SECONDS = 12;
const FLOOR_WARM_UP_SECONDS = 1;
const FLOOR_SECONDS = 5;

function method(what: string, target: string): string {
  return (
    'The built server runs as a child process (`bin/ledger-server` as `npm start` runs it, SQLite store, a data ' +
    'folder of its own under bench/.work, fresh keys, LEDGER_LOG_LEVEL=warn, bound to ' +
    '127.0.0.1 with LEDGER_HOST); autocannon ' +
    `(programmatic, in the harness process, sharing the machine's ${cpus().length} cores ` +
    `with the server) opens ${CONNECTIONS} keep-alive connections to 127.0.0.1 and posts ` +
    `${what}. Every request's body is built in autocannon's \`setupRequest\` with fresh UUID ` +
    'event ids, so every event is new (no replay path); each event carries a 500-byte ' +
    `personal payload; subjects are drawn from ${SUBJECTS.toLocaleString('en')} ids and ` +
    'three event kinds. Before the server starts, its vault file is given the pseudonym and ' +
    'data keys of every (subject, kind), as a ledger that already knows these subjects has ' +
    '(key creation is measured by library-append and memory-rss): the server still reads and ' +
    `unwraps each key once into its cache. ${WARM_UP_SECONDS} s of warm-up (not counted), ` +
    `then ${MEASURE_SECONDS} s measured. events/s = 201 answers x events per request / ` +
    'measured duration. Every answer must be 201: other statuses, connection errors and ' +
    'timeouts are counted, and a run with any of them does not meet its target. The floor ' +
    "figure runs the same load against node's bare HTTP server that only parses the body " +
    `and answers 201 (${FLOOR_SECONDS} s after ${FLOOR_WARM_UP_SECONDS} s of warm-up): what ` +
    `this machine and load generator allow before any framework or ledger work. ${target}`
  );
}

async function runHttp(eventsPerRequest: number, context: BenchmarkContext) {
  const { run, warmUp, rssMb } = await measureLedger(eventsPerRequest, context);
  const floor = await measureFloor(loadOf(eventsPerRequest));
  context.log(`floor (bare node:http): ${describeLoad(floor)}`);
  const notes = [
    `Measured: ${describeLoad(run)}.`,
    `Warm-up: ${describeLoad(warmUp)}.`,
    `Server RSS at the end: ${rssMb.toFixed(0)} MB.`,
    `Floor, node:http parsing and answering only: ${describeLoad(floor)}.`,
  ];
  return { run, warmUp, floor, notes };
}

function loadOf(eventsPerRequest: number) {
  return { connections: CONNECTIONS, eventsPerRequest, subjects: SUBJECTS };
}

/** The ledger's warm-up and measured runs on a fresh server, its data in the work folder. */
async function measureLedger(
  eventsPerRequest: number,
  { workDir, log }: BenchmarkContext,
  env: Readonly<Record<string, string>> = {},
) {
  const load = loadOf(eventsPerRequest);
  const masterKey = randomBytes(32).toString('base64');
  const primed = await primeVault(workDir, masterKey, SUBJECTS);
  log(`vault primed with the keys of ${primed} (subject, kind) pairs`);
  const server = await startLedgerProcess(workDir, { masterKey, env });
  try {
    const warmUp = await publishLoad(server, { ...load, seconds: WARM_UP_SECONDS });
    log(`warm-up: ${describeLoad(warmUp)}`);
    const run = await publishLoad(server, { ...load, seconds: MEASURE_SECONDS });
    log(`measured: ${describeLoad(run)}`);
    return { run, warmUp, rssMb: server.rss().currentMb };
  } finally {
    await server.stop();
  }
}

async function measureFloor(load: PublishLoadOptions): Promise<PublishLoadResult> {
  const floor = await startFloorProcess();
  try {
    await publishLoad(floor, { ...load, seconds: FLOOR_WARM_UP_SECONDS });
    return await publishLoad(floor, { ...load, seconds: FLOOR_SECONDS });
  } finally {
    await floor.stop();
  }
}

export const httpBatch: Benchmark = {
  name: 'http-batch',
  title: 'HTTP, batches of 100 events',
  method: method('`{ "events": [100 envelopes] }`', 'Target: >= 10,000 events/s.'),
  async run(context) {
    const { run, warmUp, floor, notes } = await runHttp(100, context);
    const valid = allCreated(run) && allCreated(warmUp);
    return {
      figures: [
        figure('http-batch/events-per-second', Math.round(run.eventsPerSecond), 'events/s', {
          op: '>=',
          value: 10_000,
          valid,
        }),
        figure('http-batch/latency-p99', run.latencyMs.p99, 'ms'),
        figure('http-batch/failed-requests', run.not201 + run.errors, 'requests', {
          op: '=',
          value: 0,
        }),
        figure('http-batch/floor-node-http', Math.round(floor.eventsPerSecond), 'events/s'),
      ],
      notes,
    };
  },
};

export const httpSingle: Benchmark = {
  name: 'http-single',
  title: 'HTTP, single events',
  method: method(
    'one envelope per request (not a batch of one)',
    'Targets: >= 2,000 events/s and p99 latency < 50 ms.',
  ),
  async run(context) {
    const { run, warmUp, floor, notes } = await runHttp(1, context);
    const valid = allCreated(run) && allCreated(warmUp);
    return {
      figures: [
        figure('http-single/events-per-second', Math.round(run.eventsPerSecond), 'events/s', {
          op: '>=',
          value: 2_000,
          valid,
        }),
        figure('http-single/latency-p99', run.latencyMs.p99, 'ms', {
          op: '<',
          value: 50,
          valid,
        }),
        figure('http-single/failed-requests', run.not201 + run.errors, 'requests', {
          op: '=',
          value: 0,
        }),
        figure('http-single/floor-node-http', Math.round(floor.eventsPerSecond), 'events/s'),
        figure('http-single/floor-node-http-latency-p99', floor.latencyMs.p99, 'ms'),
      ],
      notes,
    };
  },
};

/**
 * What LEDGER_MEMORY=small (src/config/memory-mode.ts) costs publishing: http-batch and
 * http-single again, the server started in that mode; no floor, no target of its own.
 */
export const httpSmall: Benchmark = {
  name: 'http-small',
  title: 'HTTP, batches of 100 and single events, LEDGER_MEMORY=small',
  method:
    'As http-batch and http-single (the same load, server set-up, warm-up and measured ' +
    'seconds), one after the other, each on a fresh server started with LEDGER_MEMORY=small ' +
    '(bin/ledger-server then runs node --optimize-for-size), without the floor: what the ' +
    'memory mode costs publishing, against the figures of those two run just before.',
  async run(context) {
    const env = { LEDGER_MEMORY: 'small' };
    const dirs = { batch: join(context.workDir, 'batch'), single: join(context.workDir, 'single') };
    Object.values(dirs).forEach((dir) => mkdirSync(dir, { recursive: true }));
    const batch = await measureLedger(100, { ...context, workDir: dirs.batch }, env);
    const single = await measureLedger(1, { ...context, workDir: dirs.single }, env);
    return {
      figures: [
        figure(
          'http-small/batch-events-per-second',
          Math.round(batch.run.eventsPerSecond),
          'events/s',
        ),
        figure('http-small/batch-latency-p99', batch.run.latencyMs.p99, 'ms'),
        figure(
          'http-small/single-events-per-second',
          Math.round(single.run.eventsPerSecond),
          'events/s',
        ),
        figure('http-small/single-latency-p99', single.run.latencyMs.p99, 'ms'),
        figure(
          'http-small/failed-requests',
          batch.run.not201 + batch.run.errors + single.run.not201 + single.run.errors,
          'requests',
          { op: '=', value: 0 },
        ),
      ],
      notes: [
        `Batches of 100, measured: ${describeLoad(batch.run)}; server RSS at the end ${batch.rssMb.toFixed(0)} MB.`,
        `Single events, measured: ${describeLoad(single.run)}; server RSS at the end ${single.rssMb.toFixed(0)} MB.`,
      ],
    };
  },
};
