import { hash } from 'node:crypto';
import { join } from 'node:path';
import { verifyBundle } from '../libs/audit/verifier';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';
import { writeAuditBundle } from './support/audit-bundle';

const EVENTS = 1_000_000;
const EVERY = 100_000;
const SAMPLE_EVERY = 100;

export const auditVerify: Benchmark = {
  name: 'audit',
  title: "Audit: the auditor's verifier on a 1,000,000-event bundle",
  method:
    `A bundle of ${EVENTS.toLocaleString('en')} events (stored-event JSON with a pseudonym and sealed data, ` +
    `about 500 bytes each) in the exporter's exact format, with a checkpoint signed every ` +
    `${EVERY.toLocaleString('en')} events and recorded as a CheckpointSigned leaf, is written directly ` +
    '(not through HTTP: publishing a million events would time the API, not the verifier; not timed). ' +
    '`verifyBundle` (what `ledger verify DIR --verifier-key K` runs) is timed on it: events/s = leaves / ' +
    'wall seconds, CPU seconds beside it (the whole process: the verifier hashes a bundle this big on every ' +
    'core: worker threads and its main thread, which also reads the file and folds the subtrees). In the same run, the floor: bare SHA-256 (one-shot crypto.hash) ' +
    `over every ${SAMPLE_EVERY}th leaf's bytes, ${SAMPLE_EVERY} times, so as many leaf hashes as the bundle ` +
    'has, in a plain loop; the ratio verify / bare says how close to hashing alone the verifier runs ' +
    '(it also hashes about one interior node per leaf). A note gives the same loop with each digest ' +
    'as a latin1 string, as the verifier takes digests (a Buffer per digest costs more than the hash). ' +
    'Target: verify >= 300,000 events/s.',
  async run({ workDir, log }: BenchmarkContext) {
    const dir = join(workDir, 'bundle');
    let t = Date.now();
    const bundle = await writeAuditBundle(dir, EVENTS, EVERY, SAMPLE_EVERY);
    log(
      `wrote ${bundle.leaves} leaves (mean ${bundle.meanLeafBytes} bytes) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    t = performance.now();
    const cpu = process.cpuUsage();
    const report = await verifyBundle(dir, { verifierKey: bundle.verifierKey, inclusion: [] });
    const verifySeconds = (performance.now() - t) / 1000;
    const verifyCpu = cpuSeconds(process.cpuUsage(cpu));
    if (!report.ok)
      throw new Error(`the bench bundle did not verify: ${report.problems.join('; ')}`);
    log(report.lines.join('\n'));

    const bare = bareHashing(bundle.sample, 'buffer');
    // The same loop with each digest as a latin1 string, as the verifier asks for it: a
    // digest in a Buffer of its own costs more than the hash (libs/audit/merkle/tree-hashes.ts).
    const bareLatin1 = bareHashing(bundle.sample, 'binary');
    const [hashes, bareSeconds, bareCpu] = [bare.hashes, bare.seconds, bare.cpu];

    const verifyRate = Math.round(bundle.leaves / verifySeconds);
    const bareRate = Math.round(hashes / bareSeconds);
    return {
      figures: [
        figure('audit/verify-bundle', verifyRate, 'events/s', { op: '>=', value: 300_000 }),
        figure('audit/bare-sha256-leaves', bareRate, 'hashes/s'),
        figure('audit/verify-to-bare-ratio', Math.round((verifyRate / bareRate) * 100) / 100, 'x'),
      ],
      notes: [
        `verify: ${bundle.leaves} leaves, ${bundle.checkpoints} checkpoints, ${verifySeconds.toFixed(2)} s wall, ${verifyCpu.toFixed(2)} s CPU (${Math.round(bundle.leaves / verifyCpu)} events per CPU second)`,
        `bare SHA-256: ${hashes} leaf hashes of ${bundle.meanLeafBytes} bytes on average, ${bareSeconds.toFixed(2)} s wall, ${bareCpu.toFixed(2)} s CPU (${Math.round(hashes / bareCpu)} per CPU second)`,
        `bare SHA-256, digests as latin1 strings: ${bareLatin1.seconds.toFixed(2)} s wall, ${bareLatin1.cpu.toFixed(2)} s CPU (${Math.round(bareLatin1.hashes / bareLatin1.seconds)} hashes/s)`,
      ],
    };
  },
};

/** Every sampled leaf hashed SAMPLE_EVERY times in a plain loop: as many hashes as leaves. */
function bareHashing(
  sample: readonly Buffer[],
  digest: 'buffer' | 'binary',
): { hashes: number; seconds: number; cpu: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let hashes = 0;
  for (let round = 0; round < SAMPLE_EVERY; round++) {
    for (const leaf of sample) {
      if (digest === 'buffer') hash('sha256', leaf, 'buffer');
      else hash('sha256', leaf, 'binary');
      hashes++;
    }
  }
  return {
    hashes,
    seconds: (performance.now() - t) / 1000,
    cpu: cpuSeconds(process.cpuUsage(cpu)),
  };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}
