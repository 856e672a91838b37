export * from './read-store.port';
export * from './projections.tokens';
export * from './projection-runner';
export * from './retention-schedule/retention-schedule.projection';
export * from './sqlite/sqlite-read-store';
export * from './checkpoint-progress';
export * from './retention-schedule/stored-schedule';
