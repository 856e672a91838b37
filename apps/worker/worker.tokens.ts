/** How often the worker looks at the clock: the policy in force, deadlines that passed. */
export const SWEEP_INTERVAL_MS = Symbol('SWEEP_INTERVAL_MS');
