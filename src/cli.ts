#!/usr/bin/env node
import { loadPolicyFile, PolicyFileError, formatProblem } from '../libs/policy';

/** Where a command writes, and how `serve` starts the ledger: tests give their own. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Starts the server and resolves once it listens; by default `main` of `src/main.ts`. */
  readonly serve: (args: readonly string[]) => Promise<void>;
}

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

const USAGE = [
  'usage: ledger <command>',
  '  serve [--local]           start the ledger (API, projections, lifecycle) in this process',
  '  policy check FILE...      check policy files: every problem as FILE:LINE: reason',
  '  simulate --events FILE.ndjson --until DATE [--policy FILE]',
  '                            replay a history on a simulated clock in a scratch store and',
  '                            print what the lifecycle saga does, day by day, then a summary',
  '  audit export --url URL [--key KEY] --out DIR',
  '                            write an audit bundle (leaves, signed checkpoints, public key) of',
  '                            the log up to its latest checkpoint; the key may come from',
  '                            LEDGER_AUDIT_KEY instead of --key',
  '  verify BUNDLE_DIR [--verifier-key NAME+ID+KEY] [--inclusion EVENT_ID]...',
  '  verify --url URL [--key KEY] [--verifier-key NAME+ID+KEY] [--inclusion EVENT_ID]...',
  '                            recompute the Merkle tree from the leaves, check every checkpoint',
  '                            signature and root, prove inclusions; exit 1 on any mismatch',
  '  verify --certificate FILE [--verifier-key K]',
  "                            check an erasure certificate offline (K: the ledger's verifier key)",
].join('\n');

/** Keyed by the command's words; the longest match wins (`audit export` next to `audit`). */
const COMMANDS: Readonly<Record<string, Command>> = {
  serve,
  'policy check': policyCheck,
  simulate,
  'audit export': auditExport,
  verify,
  help,
  '--help': help,
};

function help(_: readonly string[], io: CliIo): number {
  io.out(USAGE);
  return 0;
}

/** Runs one command line; resolves to the exit code (0 ok, 1 failed, 2 usage). */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (argv.length >= words && Object.hasOwn(COMMANDS, name)) {
      return COMMANDS[name](argv.slice(words), io);
    }
  }
  io.err(USAGE);
  return 2;
}

function policyCheck(files: readonly string[], io: CliIo): number {
  if (files.length === 0 || files.some((file) => file.startsWith('-'))) {
    io.err(USAGE);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    try {
      const policy = loadPolicyFile(file);
      io.out(
        `${file}: ok (version ${policy.version}, ${policy.purposes.length} purposes, sha256 ${policy.sha256})`,
      );
    } catch (error) {
      failed = true;
      if (error instanceof PolicyFileError) error.problems.forEach((p) => io.out(formatProblem(p)));
      else
        io.err(`${file}: cannot be read (${(error as { code?: string }).code ?? String(error)})`);
    }
  }
  return failed ? 1 : 0;
}

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  if (args.some((arg) => arg !== '--local')) {
    io.err(USAGE);
    return 2;
  }
  try {
    await io.serve(args);
    return 0;
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    // Configuration and start-up errors are written for an operator; none carries personal data.
    io.err(`ledger failed to start${code ? ` (${code})` : ''}: ${message ?? String(error)}`);
    return 1;
  }
}

async function simulate(args: readonly string[], io: CliIo): Promise<number> {
  // Loaded only for `simulate`: the other commands need neither Nest nor the stores.
  const { parseSimulateArgs, simulateCommand } = await import('./simulate/simulate.command');
  const parsed = parseSimulateArgs(args);
  if (typeof parsed === 'string') {
    io.err(`ledger simulate: ${parsed}`);
    io.err(USAGE);
    return 2;
  }
  return simulateCommand(parsed, io);
}

// Loaded only for the audit commands: they need fetch and node:crypto, nothing of the ledger.
async function auditExport(args: readonly string[], io: CliIo): Promise<number> {
  return (await import('./audit/audit-export.command')).auditExportCommand(args, io);
}

/** `verify --certificate FILE` checks one erasure certificate; otherwise a bundle or a URL. */
async function verify(args: readonly string[], io: CliIo): Promise<number> {
  if (!args.includes('--certificate')) {
    return (await import('./audit/verify.command')).verifyCommand(args, io);
  }
  const { parseCertificateArgs, verifyCertificateCommand } =
    await import('./audit/verify-certificate.command');
  const parsed = parseCertificateArgs(args);
  if (typeof parsed === 'string') {
    io.err(`ledger verify: ${parsed}`);
    io.err(USAGE);
    return 2;
  }
  return verifyCertificateCommand(parsed, io);
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // Loaded only for `serve`: checking a policy file needs neither Nest nor the stores.
  serve: async (args) => (await import('./main')).main(args),
};

if (require.main === module) {
  const argv = process.argv.slice(2);
  void run(argv).then((code) => {
    process.exitCode = code;
    // A server that failed to start may hold half-opened stores: do not wait for them.
    if (code !== 0 && argv[0] === 'serve') process.exit(code);
  });
}
