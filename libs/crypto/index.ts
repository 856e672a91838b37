export * from './aead';
export * from './crypto.errors';
export * from './key-fingerprint';
export * from './key-vault.port';
export * from './key-vault.tokens';
export * from './master-key';
export * from './sqlite-key-vault';
