import type { Clock } from '../libs/domain/clock';

/** The only place the wall clock is read: everything else is given a Clock. */
export const systemClock: Clock = { now: () => new Date() };
