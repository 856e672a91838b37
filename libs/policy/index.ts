export * from './policy';
export * from './policy-errors';
export * from './load-policy';
export * from './policy.tokens';
