import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchmarkOutcome, Figure } from '../benchmark';
import type { Machine } from './machine';
import { BENCH_DIR } from './work-dir';

const RESULTS_JSON = join(BENCH_DIR, 'results.json');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
/** RESULTS.md carries, hidden, when and where each benchmark last ran and what it noted. */
const STATE_MARK = /<!-- bench-runs: (.*) -->/;

interface RunRecord {
  readonly date: string;
  readonly command: string;
  readonly machine: Machine;
  readonly notes: readonly string[];
}

export interface ThisRun {
  readonly date: string;
  readonly command: string;
  readonly machine: Machine;
  readonly outcomes: ReadonlyMap<Benchmark, BenchmarkOutcome>;
}

/**
 * Merges by benchmark: the benchmarks that ran replace every figure under their name, the
 * others keep theirs (and their notes), so `--only` and later benchmarks add, never erase.
 */
export function writeResults(all: readonly Benchmark[], run: ThisRun): Figure[] {
  const previous = readJson<Figure[]>(RESULTS_JSON) ?? [];
  const records = readRecords();
  const ran = [...run.outcomes.keys()];
  const owner = (figure: Figure) => ran.find((b) => figure.name.startsWith(`${b.name}/`));
  const kept = previous.filter((figure) => owner(figure) === undefined);
  const fresh = [...run.outcomes.values()].flatMap((outcome) => outcome.figures);
  for (const [benchmark, outcome] of run.outcomes) {
    records[benchmark.name] = {
      date: run.date,
      command: run.command,
      machine: run.machine,
      notes: outcome.notes,
    };
  }
  const order = (figure: Figure) => {
    const index = all.findIndex((b) => figure.name.startsWith(`${b.name}/`));
    return index === -1 ? all.length : index;
  };
  const merged = [...kept, ...fresh]
    .map((figure, i) => ({ figure, i }))
    .sort((a, b) => order(a.figure) - order(b.figure) || a.i - b.i)
    .map(({ figure }) => figure);

  writeFileSync(RESULTS_JSON, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(RESULTS_MD, markdown(all, merged, records, run));
  return merged;
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function readRecords(): Record<string, RunRecord> {
  if (!existsSync(RESULTS_MD)) return {};
  const match = STATE_MARK.exec(readFileSync(RESULTS_MD, 'utf8'));
  return match ? (JSON.parse(match[1]) as Record<string, RunRecord>) : {};
}

function markdown(
  all: readonly Benchmark[],
  figures: readonly Figure[],
  records: Record<string, RunRecord>,
  run: ThisRun,
): string {
  const m = run.machine;
  const benchmarkOf = (figure: Figure) =>
    all.find((b) => figure.name.startsWith(`${b.name}/`))?.name ?? figure.name.split('/')[0];
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (`npm run bench -- --only <name-prefix>` runs a subset and ' +
      'keeps the other figures). Do not edit by hand.',
    '',
    `- Command of the last run: \`${run.command}\``,
    `- Date of the last run: ${run.date}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} memory, ${m.kernel}`,
    `- Node: ${m.node}`,
    `- Code measured: ${m.code}`,
    '',
    '| Figure | Value | Unit | Target | Met | Measured |',
    '| --- | ---: | --- | --- | --- | --- |',
    ...figures.map((f) => {
      const met = f.met === null ? '' : f.met ? 'met' : '**not met**';
      const date = records[benchmarkOf(f)]?.date ?? 'unknown';
      return `| ${f.name} | ${f.value} | ${f.unit} | ${f.target ?? ''} | ${met} | ${date} |`;
    }),
    '',
    '## How each benchmark is measured',
  ];
  for (const benchmark of all) {
    const record = records[benchmark.name];
    lines.push('', `### ${benchmark.name}: ${benchmark.title}`, '', benchmark.method, '');
    if (record === undefined) {
      lines.push('Not run yet.');
      continue;
    }
    const rm = record.machine;
    lines.push(
      `Last run ${record.date} (\`${record.command}\`, ${rm.cpu}, ${rm.cores} cores, ` +
        `${rm.memory}, node ${rm.node}, ${rm.code ?? 'code version not recorded'}):`,
      '',
      ...record.notes.map((note) => `- ${note}`),
    );
  }
  lines.push('', `<!-- bench-runs: ${JSON.stringify(records)} -->`, '');
  return lines.join('\n');
}
