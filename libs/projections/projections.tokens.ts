export const READ_STORE = Symbol('READ_STORE');
/** The runner of the retention-schedule projection (its progress, for read-your-writes). */
export const RETENTION_SCHEDULE_RUNNER = Symbol('RETENTION_SCHEDULE_RUNNER');
