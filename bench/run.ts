import { auditVerify } from './audit-verify.bench';
import type { Benchmark, BenchmarkOutcome, Figure } from './benchmark';
import { auditTree } from './audit-tree.bench';
import { exportBench } from './export.bench';
import { httpBatch, httpSingle, httpSmall } from './http-publish.bench';
import { lifecycle } from './lifecycle.bench';
import { libraryAppend } from './library-append.bench';
import { memoryRss, memoryRssSmall } from './memory-rss.bench';
import { retention } from './retention.bench';
import { killLedgerProcesses } from './support/ledger-process';
import { describeMachine } from './support/machine';
import { describeLoadSince, markLoad, waitForQuiet } from './support/machine-load';
import { writeResults } from './support/results-file';
import { removeWorkDirs, withWorkDir } from './support/work-dir';

/** Every benchmark, in the order they run and are reported. Later issues append here. */
const BENCHMARKS: readonly Benchmark[] = [
  libraryAppend,
  httpBatch,
  httpSingle,
  httpSmall,
  memoryRss,
  memoryRssSmall,
  retention,
  lifecycle,
  auditTree,
  auditVerify,
  exportBench,
];

/** Before each benchmark: up to this long for the rest of the machine to drop below QUIET_CORES. */
const QUIET_WAIT_SECONDS = 10;
const QUIET_CORES = 0.3;

const USAGE = 'usage: npm run bench [-- --only <name-prefix> ...]';

function selected(argv: readonly string[]): readonly Benchmark[] {
  const prefixes: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only' && argv[i + 1] !== undefined) prefixes.push(argv[++i]);
    else if (arg.startsWith('--only=')) prefixes.push(arg.slice('--only='.length));
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  if (prefixes.length === 0) return BENCHMARKS;
  // `--only http` runs http-batch and http-single; `--only http-single/latency` runs http-single.
  const matches = (b: Benchmark, prefix: string) =>
    b.name.startsWith(prefix) || prefix.startsWith(`${b.name}/`);
  const chosen = BENCHMARKS.filter((b) => prefixes.some((p) => matches(b, p)));
  if (chosen.length === 0) {
    throw new Error(
      `no benchmark matches ${prefixes.join(', ')}; there are: ` +
        BENCHMARKS.map((b) => b.name).join(', '),
    );
  }
  return chosen;
}

function printFigures(figures: readonly Figure[]): void {
  for (const f of figures) {
    const verdict =
      f.met === null
        ? ''
        : f.met
          ? `  (target ${f.target}: met)`
          : `  (target ${f.target}: NOT MET)`;
    console.log(`  ${f.name.padEnd(48)} ${String(f.value).padStart(10)} ${f.unit}${verdict}`);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const benchmarks = selected(argv);
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  const date = new Date().toISOString();
  const outcomes = new Map<Benchmark, BenchmarkOutcome>();
  let failed = 0;
  for (const benchmark of benchmarks) {
    console.log(`\n== ${benchmark.name}: ${benchmark.title}`);
    const quiet = await waitForQuiet(QUIET_WAIT_SECONDS, QUIET_CORES);
    console.log(
      `  other processes used ${quiet.others.toFixed(2)} cores just before it ` +
        `(waited ${quiet.waited.toFixed(0)} s for the machine to settle)`,
    );
    const started = Date.now();
    const load = markLoad();
    try {
      const outcome = await withWorkDir(benchmark.name, (workDir) =>
        benchmark.run({ workDir, log: (line) => console.log(`  ${line}`) }),
      );
      const busy = describeLoadSince(load);
      console.log(`  ${busy}`);
      outcomes.set(benchmark, { ...outcome, notes: [...outcome.notes, busy] });
      printFigures(outcome.figures);
    } catch (error) {
      failed++;
      // Its previous figures stay in results.json: a failed run measured nothing.
      console.error(`  ${benchmark.name} failed:`, error);
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const merged = writeResults(BENCHMARKS, { date, command, machine: describeMachine(), outcomes });
  const missed = merged.filter((f) => f.met === false).map((f) => f.name);
  console.log(
    `\nbench/results.json and bench/RESULTS.md written (${merged.length} figures` +
      `${missed.length > 0 ? `; targets not met: ${missed.join(', ')}` : '; every target met'}).`,
  );
  return failed > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killLedgerProcesses();
    removeWorkDirs();
    process.exit(130);
  });
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    killLedgerProcesses();
    removeWorkDirs();
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
