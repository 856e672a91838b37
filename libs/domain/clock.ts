/** Time is an input: everything that decides takes `now` from a clock it was given. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/** A clock that stands still until moved: tests and simulations. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}

  now(): Date {
    return new Date(this.instant.getTime());
  }

  set(instant: Date): void {
    this.instant = instant;
  }
}
