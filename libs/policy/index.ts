export * from './policy';
export * from './policy-errors';
export * from './load-policy';
export * from './calendar';
export * from './policy.tokens';
