import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
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

async function runHttp(eventsPerRequest: number, { workDir, log }: BenchmarkContext) {
  const load = { connections: CONNECTIONS, eventsPerRequest, subjects: SUBJECTS };
  const masterKey = randomBytes(32).toString('base64');
  const primed = await primeVault(workDir, masterKey, SUBJECTS);
  log(`vault primed with the keys of ${primed} (subject, kind) pairs`);
  const server = await startLedgerProcess(workDir, { masterKey });
  let warmUp: PublishLoadResult;
  let run: PublishLoadResult;
  let rssMb: number;
  try {
    warmUp = await publishLoad(server, { ...load, seconds: WARM_UP_SECONDS });
    log(`warm-up: ${describeLoad(warmUp)}`);
    run = await publishLoad(server, { ...load, seconds: MEASURE_SECONDS });
    log(`measured: ${describeLoad(run)}`);
    rssMb = server.rss().currentMb;
  } finally {
    await server.stop();
  }
  const floor = await measureFloor(load);
  log(`floor (bare node:http): ${describeLoad(floor)}`);
  const notes = [
    `Measured: ${describeLoad(run)}.`,
    `Warm-up: ${describeLoad(warmUp)}.`,
    `Server RSS at the end: ${rssMb.toFixed(0)} MB.`,
    `Floor, node:http parsing and answering only: ${describeLoad(floor)}.`,
  ];
  return { run, warmUp, floor, notes };
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
