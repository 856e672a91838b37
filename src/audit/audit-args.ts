/** Options that take a value, repeated ones collected in order; positional words apart. */
export interface ParsedArgs {
  readonly values: Map<string, string[]>;
  readonly positional: string[];
}

export function parseOptions(
  args: readonly string[],
  known: readonly string[],
): ParsedArgs | string {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    if (!known.includes(arg)) return `unknown argument ${arg}`;
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
    values.set(arg, [...(values.get(arg) ?? []), value]);
    i++;
  }
  return { values, positional };
}

/** The auditor key: --key, or LEDGER_AUDIT_KEY so that it stays out of the shell history. */
export function auditorKey(parsed: ParsedArgs, env: NodeJS.ProcessEnv): string | undefined {
  return parsed.values.get('--key')?.at(-1) ?? (env.LEDGER_AUDIT_KEY || undefined);
}
