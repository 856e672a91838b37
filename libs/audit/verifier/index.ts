export * from './bundle-format';
export * from './export-bundle';
export * from './ledger-client';
export * from './verify-bundle';
export * from './verify-live';
export * from './verify-report';
