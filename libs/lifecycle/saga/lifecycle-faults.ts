/**
 * The points of a lifecycle step where a crash must lose nothing and do nothing twice. Tests
 * stop the process at each (`LEDGER_TEST_CRASH_AT`); in production nothing listens.
 */
export const SAGA_CRASH_POINTS = ['decided', 'key-destroyed', 'appended'] as const;
/**
 * After a downstream system answered a webhook 2xx, before `CommandAcknowledged` is
 * written; after a kept link was forgotten, before `SubjectLinkForgotten` is written.
 */
export const DOWNSTREAM_CRASH_POINTS = ['webhook-sent', 'link-forgotten'] as const;
export const CRASH_POINTS = [...SAGA_CRASH_POINTS, ...DOWNSTREAM_CRASH_POINTS] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface LifecycleFaults {
  reached(point: CrashPoint): void;
}

export const NO_FAULTS: LifecycleFaults = { reached: () => undefined };

export const LIFECYCLE_FAULTS = Symbol('LIFECYCLE_FAULTS');

/**
 * Test-only: kills the process (SIGKILL, as `kill -9` would) the first time the named point
 * is reached; nothing for an absent or unknown name.
 */
export function crashAt(point: string | undefined): LifecycleFaults {
  if (!point || !(CRASH_POINTS as readonly string[]).includes(point)) return NO_FAULTS;
  return {
    reached: (at) => {
      if (at === point) process.kill(process.pid, 'SIGKILL');
    },
  };
}
