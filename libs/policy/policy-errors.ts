export interface PolicyProblem {
  readonly file: string;
  /** 1-based; 0 when the problem is not tied to a line. */
  readonly line: number;
  readonly reason: string;
}

export class PolicyFileError extends Error {
  readonly code = 'POLICY.INVALID_FILE';
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'PolicyFileError';
  }
}

export function formatProblem(problem: PolicyProblem): string {
  return `${problem.file}:${problem.line}: ${problem.reason}`;
}
