import { writeFileSync } from 'node:fs';

/**
 * Preloaded (`--require`) into the server of the memory benchmark: every second it writes
 * `process.memoryUsage()` to the file named by BENCH_MEMORY_REPORT, so that the harness can
 * say what the RSS is made of (JS heap used, heap reserved, buffers, the rest native).
 */
const file = process.env.BENCH_MEMORY_REPORT;
if (file) {
  setInterval(() => writeFileSync(file, JSON.stringify(process.memoryUsage())), 1000).unref();
}
