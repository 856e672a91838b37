import { exportBundle, LedgerClient } from '../../libs/audit/verifier';
import { auditorKey, parseOptions } from './audit-args';

export interface AuditIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** `ledger audit export --url URL [--key KEY] --out DIR`: exit 0 written, 1 failed, 2 usage. */
export async function auditExportCommand(
  args: readonly string[],
  io: AuditIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseOptions(args, ['--url', '--key', '--out']);
  const usage = (problem: string) => {
    io.err(`ledger audit export: ${problem}`);
    return 2;
  };
  if (typeof parsed === 'string') return usage(parsed);
  const url = parsed.values.get('--url')?.at(-1);
  const out = parsed.values.get('--out')?.at(-1);
  const key = auditorKey(parsed, env);
  if (parsed.positional.length > 0) return usage(`unexpected ${parsed.positional[0]}`);
  if (!url) return usage('--url URL is required');
  if (!out) return usage('--out DIR is required (a folder that does not exist yet)');
  if (!key) return usage('an auditor key is required: --key KEY or LEDGER_AUDIT_KEY');
  try {
    const summary = await exportBundle(new LedgerClient(url, key), out);
    io.out(
      `${summary.dir}: ${summary.leaves} leaves and ${summary.checkpoints} signed checkpoints of ${summary.origin}`,
    );
    return 0;
  } catch (error) {
    io.err(`ledger audit export: ${(error as Error).message}`);
    return 1;
  }
}
