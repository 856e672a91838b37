/** One measured figure, as `results.json` holds it. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Human and machine readable: `>= 10000`, `< 50`, `= 0`; null when only informative. */
  readonly target: string | null;
  /** null when there is no target. */
  readonly met: boolean | null;
}

export interface BenchmarkOutcome {
  readonly figures: Figure[];
  /** What this run saw that the figures alone do not say (one line each, for RESULTS.md). */
  readonly notes: string[];
}

export interface BenchmarkContext {
  /** A fresh folder under `bench/.work/`, deleted after the benchmark. */
  readonly workDir: string;
  readonly log: (line: string) => void;
}

/**
 * A benchmark owns the figures whose names start with `<name>/`: a run replaces all of them
 * and keeps the figures of benchmarks that did not run.
 */
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  /** How it is measured: one paragraph of RESULTS.md. */
  readonly method: string;
  run(context: BenchmarkContext): Promise<BenchmarkOutcome>;
}

/** A figure against a target; `met` is false whenever `valid` is false (errors in the run). */
export function figure(
  name: string,
  value: number,
  unit: string,
  target?: {
    readonly op: '>=' | '<' | '<=' | '=';
    readonly value: number;
    readonly valid?: boolean;
  },
): Figure {
  if (target === undefined) return { name, value, unit, target: null, met: null };
  const holds = {
    '>=': value >= target.value,
    '<': value < target.value,
    '<=': value <= target.value,
    '=': value === target.value,
  }[target.op];
  return {
    name,
    value,
    unit,
    target: `${target.op} ${target.value}`,
    met: holds && target.valid !== false,
  };
}
