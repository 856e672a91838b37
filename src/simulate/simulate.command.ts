import { resolve } from 'node:path';
import { loadPolicyFile, PolicyFileError, formatProblem } from '../../libs/policy';

/** `ledger simulate`'s arguments, checked; a usage problem is a line for the operator. */
export interface SimulateArgs {
  readonly eventsFile: string;
  readonly until: Date;
  readonly policyFile?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

export function parseSimulateArgs(args: readonly string[]): SimulateArgs | string {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (!['--events', '--until', '--policy'].includes(name)) return `unknown argument ${name}`;
    if (value === undefined || value.startsWith('--')) return `${name} needs a value`;
    values.set(name, value);
  }
  const eventsFile = values.get('--events');
  const until = values.get('--until');
  if (!eventsFile) return '--events FILE.ndjson is required';
  if (!until) return '--until DATE is required (2035-01-01 or 2035-01-01T00:00:00Z)';
  const instant = new Date(until.length === 10 ? `${until}T00:00:00Z` : until);
  if (
    !DATE.test(until) ||
    Number.isNaN(instant.getTime()) ||
    instant.toISOString().slice(0, 10) !== until.slice(0, 10)
  ) {
    return '--until must be a date (2035-01-01) or a UTC instant (2035-01-01T00:00:00Z)';
  }
  const policyFile = values.get('--policy');
  return { eventsFile, until: instant, ...(policyFile && { policyFile: resolve(policyFile) }) };
}

export interface SimulateIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * Checks the policy and the history first (every problem as FILE:LINE: reason, exit 1), then
 * loads Nest and the scratch ledger only for a history worth replaying.
 */
export async function simulateCommand(args: SimulateArgs, io: SimulateIo): Promise<number> {
  let policy;
  try {
    policy = loadPolicyFile(args.policyFile);
  } catch (error) {
    if (error instanceof PolicyFileError) error.problems.forEach((p) => io.err(formatProblem(p)));
    else
      io.err(
        `${args.policyFile}: cannot be read (${(error as { code?: string }).code ?? 'error'})`,
      );
    return 1;
  }
  const { readHistoryFile } = await import('./history-file');
  const history = readHistoryFile(args.eventsFile, new Set(Object.keys(policy.categories)));
  if (!history.ok) {
    history.problems.forEach((p) => io.err(p));
    return 1;
  }
  const { simulate } = await import('./simulation');
  const { summaryTable } = await import('./simulation-report');
  io.out(
    `simulating ${history.events.length} event(s) until ${args.until.toISOString()} ` +
      `under policy ${policy.version}, in a scratch memory store`,
  );
  const result = await simulate({
    events: history.events,
    until: args.until,
    policyFile: args.policyFile,
    out: io.out,
  });
  io.out('');
  io.out(
    `${result.published} event(s) replayed` +
      (result.skipped > 0 ? `, ${result.skipped} dated after --until left out` : '') +
      `; ${result.facts.length} fact(s) written by the saga`,
  );
  summaryTable(result.facts).forEach((line) => io.out(line));
  if (result.failed > 0) {
    io.err(`${result.failed} lifecycle step(s) failed during the simulation`);
    return 1;
  }
  return 0;
}
