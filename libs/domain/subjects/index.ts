export * from './canonical-subject-state';
export * from './clock-names';
export { compareClocks, earliest, latest } from './clock-order';
export * from './clock-value';
export * from './evolve-subject';
export * from './role-of';
export * from './subject-state';
export * from './subject-stream-event';
