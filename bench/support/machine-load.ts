import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100;

export interface LoadMark {
  readonly at: number;
  /** CPU seconds all cores spent busy (not idle, not waiting for I/O). */
  readonly machineBusy: number;
  /** CPU seconds of this process and of the children it has reaped (the servers it stopped). */
  readonly ours: number;
}

/**
 * The machine is shared (other people build and test on it): what they used while a benchmark
 * ran is reported beside its figures, so a low figure can be told from a busy machine.
 */
export function markLoad(): LoadMark {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // cpu user nice system idle iowait irq softirq steal ...
  const busy = cpu[1] + cpu[2] + cpu[3] + cpu[6] + cpu[7] + cpu[8];
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // utime, stime, cutime, cstime: fields 14 to 17 of the line.
  const ours = fields[11] + fields[12] + fields[13] + fields[14];
  return {
    at: Date.now(),
    machineBusy: busy / CLOCK_TICKS_PER_SECOND,
    ours: ours / CLOCK_TICKS_PER_SECOND,
  };
}

/** One line for RESULTS.md: how busy the rest of the machine was since `since`. */
export function describeLoadSince(since: LoadMark): string {
  const now = markLoad();
  const seconds = (now.at - since.at) / 1000;
  const others = Math.max(0, now.machineBusy - since.machineBusy - (now.ours - since.ours));
  const [one] = loadavg();
  return (
    `Other processes on the machine used ${(others / seconds).toFixed(2)} cores on average ` +
    `during this benchmark (load average at its end: ${one.toFixed(2)}).`
  );
}

/**
 * Waits (at most `maxSeconds`) until the rest of the machine uses less than `cores` over a
 * 2-second window, so that a benchmark does not start in the middle of someone's build.
 * Returns what it saw last; the benchmark runs anyway when the machine stays busy.
 */
export async function waitForQuiet(maxSeconds: number, cores: number) {
  const started = Date.now();
  for (;;) {
    const before = markLoad();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = markLoad();
    const seconds = (after.at - before.at) / 1000;
    const others =
      Math.max(0, after.machineBusy - before.machineBusy - (after.ours - before.ours)) / seconds;
    const waited = (Date.now() - started) / 1000;
    if (others < cores || waited >= maxSeconds) return { others, waited };
  }
}
