import {
  LedgerClient,
  verifyBundle,
  verifyLive,
  type VerifyReport,
} from '../../libs/audit/verifier';
import type { AuditIo } from './audit-export.command';
import { auditorKey, parseOptions } from './audit-args';

const OPTIONS = ['--url', '--key', '--verifier-key', '--inclusion'];

/**
 * `ledger verify BUNDLE_DIR | --url URL [--key K] [--verifier-key KEY] [--inclusion ID]...`:
 * exit 0 when everything checks, 1 on any mismatch (each named on stderr), 2 on usage.
 */
export async function verifyCommand(
  args: readonly string[],
  io: AuditIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseOptions(args, OPTIONS);
  const usage = (problem: string) => {
    io.err(`ledger verify: ${problem}`);
    return 2;
  };
  if (typeof parsed === 'string') return usage(parsed);
  const url = parsed.values.get('--url')?.at(-1);
  const [bundle, ...extra] = parsed.positional;
  if (extra.length > 0) return usage(`unexpected ${extra[0]}`);
  if (!bundle === !url) return usage('give a bundle folder or --url URL (one of them)');
  const options = {
    verifierKey: parsed.values.get('--verifier-key')?.at(-1),
    inclusion: parsed.values.get('--inclusion') ?? [],
  };

  let report: VerifyReport;
  try {
    report = bundle
      ? await verifyBundle(bundle, options)
      : await verifyLive(new LedgerClient(url!, auditorKey(parsed, env)), options);
  } catch (error) {
    io.err(`ledger verify: ${(error as Error).message}`);
    return 1;
  }
  report.warnings.forEach((line) => io.err(line));
  report.lines.forEach((line) => io.out(line));
  report.problems.forEach((line) => io.err(`MISMATCH: ${line}`));
  io.out(report.ok ? 'verified: ok' : `verification FAILED: ${report.problems.length} problem(s)`);
  return report.ok ? 0 : 1;
}
