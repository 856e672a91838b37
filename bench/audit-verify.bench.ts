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
    'wall seconds, CPU seconds beside it (the whole process: the verifier hashes a bundle this big on one ' +
    'worker thread per core, and folds their subtrees on the main thread). In the same run, the floor: bare SHA-256 (one-shot crypto.hash) ' +
    `over every ${SAMPLE_EVERY}th leaf's bytes, ${SAMPLE_EVERY} times, so as many leaf hashes as the bundle ` +
    'has, in a plain loop; the ratio verify / bare says how close to hashing alone the verifier runs ' +
    '(it also hashes about one interior node per leaf). Target: verify >= 300,000 events/s.',
  async run({ workDir, log }: BenchmarkContext) {
    const dir = join(workDir, 'bundle');
    let t = Date.now();
    const bundle = await writeAuditBundle(dir, EVENTS, EVERY, SAMPLE_EVERY);
    log(
      `wrote ${bundle.leaves} leaves (mean ${bundle.meanLeafBytes} bytes) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    t = performance.now();
    let cpu = process.cpuUsage();
    const report = await verifyBundle(dir, { verifierKey: bundle.verifierKey, inclusion: [] });
    const verifySeconds = (performance.now() - t) / 1000;
    const verifyCpu = cpuSeconds(process.cpuUsage(cpu));
    if (!report.ok)
      throw new Error(`the bench bundle did not verify: ${report.problems.join('; ')}`);
    log(report.lines.join('\n'));

    t = performance.now();
    cpu = process.cpuUsage();
    let hashes = 0;
    for (let round = 0; round < SAMPLE_EVERY; round++) {
      for (const leaf of bundle.sample) {
        hash('sha256', leaf, 'buffer');
        hashes++;
      }
    }
    const bareSeconds = (performance.now() - t) / 1000;
    const bareCpu = cpuSeconds(process.cpuUsage(cpu));

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
      ],
    };
  },
};

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}
